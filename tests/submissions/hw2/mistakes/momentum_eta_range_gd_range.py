"""GD's range: the factor 1 + beta is missing.
affects: momentum_eta_range
"""
def momentum_eta_range(a, b, beta):
    return np.array([0.0, 2 / max(a, b)])
