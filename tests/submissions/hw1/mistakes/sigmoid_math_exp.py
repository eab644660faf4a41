"""sigma with math.exp entry by entry: math.exp(1000) raises OverflowError.
affects: sigmoid
"""
import math


def sigmoid(z):
    return np.array([1 / (1 + math.exp(-v)) for v in np.ravel(z)]).reshape(np.shape(z))
