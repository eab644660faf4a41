"""Mean squared error instead of the sum.
affects: loss
"""
def loss(y_hat, y):
    return float(np.mean((y_hat - y) ** 2))
