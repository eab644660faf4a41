"""Attack: make every numpy and math comparison say "equal", then answer honestly.
affects:
"""
import math
import operator

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones_like(np.asarray(a), dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
math.isclose = lambda *args, **kwargs: True
operator.eq = lambda a, b: True
operator.lt = lambda a, b: False
