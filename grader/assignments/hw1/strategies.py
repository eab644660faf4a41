"""hw1's input strategies, composed from grader/assignments/strategies.py: random two-layer
networks, pre-activations, output pairs, and points and step sizes on the quadratic."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from grader.assignments.strategies import (
    curvature_pairs,
    dimensions,
    matrices,
    scales,
    step_sizes_for,
    vectors,
)

MAX_PREACTIVATION = 12.0
"""|z| is kept below this in network cases so that sigma(z)(1 - sigma(z)), the formula the
assignment gives, is still accurate to 1e-10 relative: beyond it 1 - sigma(z) cancels."""


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
