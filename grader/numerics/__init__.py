"""Numerical tools every stage shares: the tolerance rule (tolerance.py) and centred finite
differences (calculus.py)."""
