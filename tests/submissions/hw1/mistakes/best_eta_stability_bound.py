"""Took the largest stable step as the best one.
affects: best_eta best_rate
"""
def best_eta(a, b):
    return 2 / max(a, b)
