"""a*eta - 1 instead of 1 - a*eta; best_rate, built on rho with an absolute value, is still right.
affects: rho
"""
def rho(a, b, eta):
    return np.array([a * eta - 1, b * eta - 1])
