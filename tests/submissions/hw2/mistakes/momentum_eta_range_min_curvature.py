"""min(a, b) where max(a, b) decides.
affects: momentum_eta_range
"""
def momentum_eta_range(a, b, beta):
    return np.array([0.0, 2 * (1 + beta) / min(a, b)])
