"""int() where float() was meant: truncates E.
affects: loss
"""
def loss(y_hat, y):
    return int(np.sum((y_hat - y) ** 2))
