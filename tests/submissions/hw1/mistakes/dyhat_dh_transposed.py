"""Returned W2 transposed.
affects: dyhat_dh dE_dh dE_dz dE_dx dE_dW1
"""
def dyhat_dh(W2):
    return np.array(W2, dtype=float).T
