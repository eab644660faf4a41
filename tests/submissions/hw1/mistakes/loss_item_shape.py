"""Kept E as a 1-element array via keepdims, a shape (1,) answer instead of a float.
affects: loss
"""
def loss(y_hat, y):
    return np.sum((y_hat - y) ** 2, keepdims=True)
