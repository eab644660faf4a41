"""Attack: runaway recursion, plainly and with the recursion limit raised (a C-stack overflow).
affects: best_rate dE_dW1
"""
import sys


def best_rate(a, b):
    return best_rate(a, b)


def dE_dW1(x, y, W1, W2):
    sys.setrecursionlimit(10**7)

    def deeper(n):
        return deeper(n + 1) + 1

    return deeper(0)
