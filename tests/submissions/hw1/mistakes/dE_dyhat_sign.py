"""Differentiated with respect to y: 2 (y - y_hat).
affects: dE_dyhat dE_dh dE_dz dE_dx dE_dW2 dE_dW1
"""
def dE_dyhat(y_hat, y):
    return 2 * (y - y_hat)
