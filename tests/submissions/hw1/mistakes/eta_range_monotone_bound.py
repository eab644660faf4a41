"""The common written answer: min(1/a, 1/b), which is the monotone bound.
affects: eta_range
"""
def eta_range(a, b):
    return np.array([0.0, min(1 / a, 1 / b)])
