"""Returned the diagonal as a vector; dE_dz's matrix product then collapses to a number.
affects: dh_dz dE_dz dE_dx dE_dW1
"""
def dh_dz(z):
    s = sigmoid(z)
    return s * (1 - s)
