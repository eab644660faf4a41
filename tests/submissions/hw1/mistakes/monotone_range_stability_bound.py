"""Gave the stability bound where the monotone one was asked.
affects: monotone_eta_range
"""
def monotone_eta_range(a, b):
    return np.array([0.0, 2 / max(a, b)])
