"""2 / min(a, b): the bound of the flat coordinate.
affects: eta_range
"""
def eta_range(a, b):
    return np.array([0.0, 2 / min(a, b)])
