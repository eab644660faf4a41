"""The stability bound capped at 1: min(2/max(a, b), 1). Its answers vary with a and b where it is
right, so it must not be called hard-coded although every wrong answer is 1.
affects: eta_range
"""
def eta_range(a, b):
    return np.array([0.0, min(2 / max(a, b), 1.0)])
