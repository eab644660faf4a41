"""Hypothesis strategies that assignments build their inputs from: small, composable, named for
what they make.

Dimensions are drawn independently from 1 to MAX_DIM, so non-square shapes and n = 1, m = 1,
q = 1 all occur. Entries are spread over magnitudes (Hypothesis floats in [-10, 10], which
include zeros and tiny values, times 10^k for k in -2..1 per array), and
curvatures a, b over five orders of magnitude, in either order. Everything shrinks towards
small dimensions and simple values, so a failing case shrinks to one a student can read.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

MAX_DIM = 6
CURVATURE_EXPONENTS = (-2.5, 2.5)


def dimensions() -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=MAX_DIM)


def entries(max_abs: float = 10.0) -> st.SearchStrategy[float]:
    """Finite floats in [-max_abs, max_abs]; Hypothesis mixes in zeros, tiny and round values."""
    return st.floats(min_value=-max_abs, max_value=max_abs, allow_subnormal=False)


def scales(min_exponent: int = -2, max_exponent: int = 1) -> st.SearchStrategy[float]:
    """A power of ten applied to a whole array, so magnitudes spread from case to case."""
    return st.integers(min_value=min_exponent, max_value=max_exponent).map(lambda k: 10.0**k)


def arrays_of(
    shape: tuple[int, ...],
    elements: st.SearchStrategy[float] | None = None,
    scale: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[np.ndarray]:
    """A float64 array with every entry drawn (no fill value), times a power of ten."""
    values = arrays(
        np.float64, shape, elements=entries() if elements is None else elements, fill=st.nothing()
    )
    scale = scales() if scale is None else scale
    return st.tuples(values, scale).map(lambda pair: pair[0] * pair[1])


def vectors(
    length: int,
    elements: st.SearchStrategy[float] | None = None,
    scale: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[np.ndarray]:
    return arrays_of((length,), elements, scale)


def matrices(rows: int, cols: int) -> st.SearchStrategy[np.ndarray]:
    return arrays_of((rows, cols))


def curvatures() -> st.SearchStrategy[float]:
    """a or b: 10^u with u uniform over CURVATURE_EXPONENTS, so either can be the larger."""
    low, high = CURVATURE_EXPONENTS
    return st.floats(min_value=low, max_value=high).map(lambda u: float(10.0**u))


def curvature_pairs() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({"a": curvatures(), "b": curvatures()})


def step_sizes_for(a: float, b: float) -> st.SearchStrategy[float]:
    """eta from far below to beyond the stability bound 2 / max(a, b)."""
    fractions = st.floats(min_value=1e-3, max_value=1.5)
    return fractions.map(lambda f: float(f * 2.0 / max(a, b)))
