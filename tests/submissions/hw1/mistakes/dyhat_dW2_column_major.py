"""Flattened W2 column by column (Fortran order).
affects: dyhat_dW2 dE_dW2
"""
def dyhat_dW2(h, q):
    return np.kron(np.asarray(h, dtype=float)[None, :], np.eye(q))
