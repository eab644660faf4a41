"""The norm instead of its square.
affects: loss
"""
def loss(y_hat, y):
    return float(np.linalg.norm(y_hat - y))
