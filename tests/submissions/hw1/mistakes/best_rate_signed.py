"""(a - b) / (a + b) without the absolute value.
affects: best_rate
"""
def best_rate(a, b):
    return (a - b) / (a + b)
