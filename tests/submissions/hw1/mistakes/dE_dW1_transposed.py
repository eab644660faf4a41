"""Outer product the wrong way round: shape (n, m).
affects: dE_dW1
"""
def dE_dW1(x, y, W1, W2):
    return np.outer(x, dE_dz(x, y, W1, W2))
