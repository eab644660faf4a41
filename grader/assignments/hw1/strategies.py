"""hw1's input strategies, composed from grader/assignments/strategies.py: random two-layer
networks, pre-activations, output pairs, and points and step sizes on the quadratic."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from grader.assignments.strategies import (
    CURVATURE_REGIONS,
    MAX_DIM,
    SMALLEST,
    arrays_of,
    curvature_pairs,
    dimensions,
    entries,
    matrices,
    scales,
    step_regions,
    step_sizes_for,
    vectors,
)
from grader.model.exercise import Region

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


# --- regions every run includes (grader/model/exercise.py, Region) ---


@st.composite
def preactivations_in(draw, low: float, high: float, length: int | None = None) -> dict:
    """{"z": ...} with every |z_i| in [low, high]: both signs whenever it has two entries or more
    (the first entry positive, the second negative, the rest either)."""
    n = length or draw(st.integers(min_value=2, max_value=MAX_DIM))
    tiny_to_zero = st.floats(min_value=low, max_value=high).map(lambda v: 0.0 if v < SMALLEST else v)
    magnitudes = draw(vectors(n, tiny_to_zero, st.just(1.0)))
    signs = np.where(draw(vectors(n, st.sampled_from([-1.0, 1.0]), st.just(1.0))) < 0, -1.0, 1.0)
    signs[:2] = (1.0, -1.0)[:n]
    return {"z": magnitudes * signs}


def preactivation_regions(bands: tuple[tuple[float, float], ...]) -> tuple[Region, ...]:
    regions = tuple(
        Region(f"|z| in [{low:g}, {high:g}]", preactivations_in(low, high)) for low, high in bands
    )
    return (*regions, Region("m = 1", preactivations_in(0.0, bands[-1][1], length=1)))


SIGMOID_REGIONS = preactivation_regions(
    ((0, 1), (1, 10), (10, 18), (18, 30), (30, 100), (100, 700), (710, 1000))
)
"""sigma in every band of |z|: a sigmoid that snaps to 0 or 1 past |z| = 10 shows in [10, 18];
exp(z) overflows past 709.78, in [710, 1000]."""
SLOPE_REGIONS = preactivation_regions(((0, 1), (1, 10), (10, 20), (20, 30)))


@st.composite
def networks_with(draw, n=None, m=None, q=None, exponent=None, near_limit=False) -> dict:
    """A network with some dimensions fixed, every array of size 10^exponent, or its largest
    pre-activation between 10 and MAX_PREACTIVATION."""
    n, m, q = (k or draw(dimensions()) for k in (n, m, q))
    scale = st.just(10.0**exponent) if exponent is not None else None
    x = draw(vectors(n, scale=scale))
    W1 = draw(arrays_of((m, n), scale=scale))
    W2, y = draw(arrays_of((q, m), scale=scale)), draw(vectors(q, scale=scale))
    if near_limit:  # positive x and rows of one sign: no cancellation, so z is rescaled gently
        positive = st.floats(min_value=0.5, max_value=2.0)
        x = draw(vectors(n, positive, st.just(1.0)))
        signs = np.where(draw(vectors(m, st.sampled_from([-1.0, 1.0]), st.just(1.0))) < 0, -1.0, 1.0)
        W1 = draw(arrays_of((m, n), positive, st.just(1.0))) * signs[:, np.newaxis]
        W1 = W1 * (draw(st.floats(min_value=10.0, max_value=MAX_PREACTIVATION)) / np.abs(W1 @ x).max())
    return {"x": x, "y": y, "W1": limit_preactivation(W1, x), "W2": W2}


NETWORK_REGIONS: tuple[Region, ...] = (
    Region("n = 1", networks_with(n=1)),
    Region("m = 1", networks_with(m=1)),
    Region("q = 1", networks_with(q=1)),
    Region("n = m = q = 1", networks_with(n=1, m=1, q=1)),
    *(Region(f"entries of size 10^{k}", networks_with(exponent=k)) for k in (-2, -1, 0, 1)),
    Region("|z| between 10 and 12", networks_with(near_limit=True)),
)


@st.composite
def outputs_with(draw, q=None, exponent=None, close=False) -> dict:
    q = q or draw(dimensions())
    scale = st.just(10.0**exponent) if exponent is not None else None
    y_hat = draw(vectors(q, scale=scale))
    if close:  # the residual cancels: y = y_hat to 8 or 9 digits
        offsets = draw(vectors(q, entries(1.0), st.just(1.0)))
        return {"y_hat": y_hat, "y": y_hat * (1.0 + 1e-9 * offsets) + 1e-9 * offsets}
    return {"y_hat": y_hat, "y": draw(vectors(q, scale=scale))}


OUTPUT_REGIONS: tuple[Region, ...] = (
    Region("q = 1", outputs_with(q=1)),
    Region("y_hat close to y", outputs_with(close=True)),
    *(Region(f"entries of size 10^{k}", outputs_with(exponent=k)) for k in (-2, -1, 0, 1)),
)


@st.composite
def _input_and_width(draw, n=None, m=None) -> dict:
    return {"x": draw(vectors(n or draw(dimensions()))), "m": m or draw(dimensions())}


@st.composite
def _hidden_and_width(draw, m=None, q=None) -> dict:
    unit_interval = st.floats(min_value=1e-6, max_value=1 - 1e-6)
    return {
        "h": draw(vectors(m or draw(dimensions()), unit_interval, st.just(1.0))),
        "q": q or draw(dimensions()),
    }


INPUT_WIDTH_REGIONS = (
    Region("n = 1", _input_and_width(n=1)),
    Region("m = 1", _input_and_width(m=1)),
    Region("n = m = 1", _input_and_width(n=1, m=1)),
)
HIDDEN_WIDTH_REGIONS = (
    Region("m = 1", _hidden_and_width(m=1)),
    Region("q = 1", _hidden_and_width(q=1)),
    Region("m = q = 1", _hidden_and_width(m=1, q=1)),
)


@st.composite
def matrices_with(draw, name: str, rows: int | None = None, cols: int | None = None) -> dict:
    return {name: draw(matrices(rows or draw(dimensions()), cols or draw(dimensions())))}


def matrix_regions(name: str) -> tuple[Region, ...]:
    return (
        Region("one row", matrices_with(name, rows=1)),
        Region("one column", matrices_with(name, cols=1)),
        Region("1 x 1", matrices_with(name, rows=1, cols=1)),
    )


def _with_point(case: dict) -> st.SearchStrategy[dict]:
    return vectors(2).map(lambda w: {"w": w, **case})


POINT_REGIONS = tuple(Region(r.name, r.inputs.flatmap(_with_point)) for r in CURVATURE_REGIONS)
POINT_STEP_REGIONS = step_regions(_with_point)
STEP_REGIONS = step_regions()
