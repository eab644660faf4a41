"""Attack: hang forever at import, after every function is defined.
affects:
"""
while True:
    pass
