"""A lower bound of -upper (a symmetric range): eta < 0 diverges.
affects: momentum_eta_range
"""
def momentum_eta_range(a, b, beta):
    high = 2 * (1 + beta) / max(a, b)
    return np.array([-high, high])
