"""Stage 2, the plan: the reference (reference.py) and each exercise's Hypothesis cases with the
reference's answers (cases.py, cached by cache.py)."""
