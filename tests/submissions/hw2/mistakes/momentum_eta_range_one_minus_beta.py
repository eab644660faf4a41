"""1 - beta where 1 + beta belongs.
affects: momentum_eta_range
"""
def momentum_eta_range(a, b, beta):
    return np.array([0.0, 2 * (1 - beta) / max(a, b)])
