"""The 1/2 of many textbooks, which this assignment does not use.
affects: loss
"""
def loss(y_hat, y):
    return 0.5 * float(np.sum((y_hat - y) ** 2))
