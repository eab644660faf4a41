"""Attack: a segmentation fault in one function.
affects: dE_dW2
"""
import ctypes


def dE_dW2(x, y, W1, W2):
    return ctypes.string_at(0)
