"""Hypothesis strategies for the exercises' inputs, small and composable, named for what they make.

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
MAX_PREACTIVATION = 12.0
"""|z| is kept below this in network cases so that sigma(z)(1 - sigma(z)), the formula the
assignment gives, is still accurate to 1e-10 relative: beyond it 1 - sigma(z) cancels."""
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


def limit_preactivation(W1: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Scale W1 down, if needed, so that max |W1 x| <= MAX_PREACTIVATION."""
    largest = float(np.max(np.abs(W1 @ x)))
    if largest > MAX_PREACTIVATION:
        return W1 * (MAX_PREACTIVATION / largest)
    return W1


@st.composite
def networks(draw) -> dict:
    """x, y, W1, W2 of a random two-layer network with independent n, m, q."""
    n, m, q = draw(dimensions()), draw(dimensions()), draw(dimensions())
    x = draw(vectors(n))
    W1 = draw(matrices(m, n))
    W2 = draw(matrices(q, m))
    y = draw(vectors(q))
    return {"x": x, "y": y, "W1": limit_preactivation(W1, x), "W2": W2}


@st.composite
def preactivations(draw, max_exponent: int = 1) -> np.ndarray:
    """A vector z of any length, |z| up to 10^(max_exponent + 1): 1000 tests sigma's stability."""
    return draw(vectors(draw(dimensions()), scale=scales(-2, max_exponent)))


@st.composite
def output_pairs(draw) -> dict:
    """(y_hat, y) of the same random length q."""
    q = draw(dimensions())
    return {"y_hat": draw(vectors(q)), "y": draw(vectors(q))}


@st.composite
def input_and_width(draw) -> dict:
    """A layer input x and the layer width m, for dz/dW1."""
    n = draw(dimensions())
    return {"x": draw(vectors(n)), "m": draw(dimensions())}


@st.composite
def hidden_and_width(draw) -> dict:
    """Hidden activations h in (0, 1) and the output width q, for dy_hat/dW2."""
    m = draw(dimensions())
    unit_interval = st.floats(min_value=1e-6, max_value=1 - 1e-6)
    return {"h": draw(vectors(m, unit_interval, st.just(1.0))), "q": draw(dimensions())}


@st.composite
def weight_matrices(draw) -> np.ndarray:
    return draw(matrices(draw(dimensions()), draw(dimensions())))


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


@st.composite
def quadratic_points(draw, with_step: bool = False) -> dict:
    """A point w, curvatures a and b, and optionally a step size eta."""
    case = {"w": draw(vectors(2)), **draw(curvature_pairs())}
    if with_step:
        case["eta"] = draw(step_sizes_for(case["a"], case["b"]))
    return case


@st.composite
def step_size_problems(draw) -> dict:
    """Curvatures a, b and a step size eta, for the contraction factors."""
    case = draw(curvature_pairs())
    case["eta"] = draw(step_sizes_for(case["a"], case["b"]))
    return case
