"""Outer product the wrong way round: shape (m, q).
affects: dE_dW2
"""
def dE_dW2(x, y, W1, W2):
    _, h, y_hat = forward(x, W1, W2)
    return np.outer(h, dE_dyhat(y_hat, y))
