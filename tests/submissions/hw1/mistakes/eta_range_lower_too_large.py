"""A lower bound of 0.5/max(a, b) instead of 0.
affects: eta_range
"""
def eta_range(a, b):
    return np.array([0.5 / max(a, b), 2 / max(a, b)])
