"""The monotone bound capped at 1: min(1/max(a, b), 1). Only shows where both curvatures are below 1.
affects: monotone_eta_range
"""
def monotone_eta_range(a, b):
    return np.array([0.0, min(1 / max(a, b), 1.0)])
