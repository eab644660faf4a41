"""Dropped the factor 2 (thinking of the 1/2 convention).
affects: dE_dyhat dE_dh dE_dz dE_dx dE_dW2 dE_dW1
"""
def dE_dyhat(y_hat, y):
    return y_hat - y
