"""A "safe" denominator: |a - b| / (a + b + 1e-8). Only shows where a and b are both tiny.
affects: best_rate
"""
def best_rate(a, b):
    return abs(a - b) / (a + b + 1e-8)
