"""Returned W1 transposed.
affects: dz_dx dE_dx
"""
def dz_dx(W1):
    return np.array(W1, dtype=float).T
