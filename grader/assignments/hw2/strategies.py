"""hw2's input strategies, composed from grader/assignments/strategies.py: curvatures, momentum
coefficients beta in [0, 1), step sizes around the stability bound 2 (1 + beta) / c, and now
and then Polyak's optimum itself, where both of a coordinate's roots coincide."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from grader.assignments.strategies import CURVATURE_REGIONS, curvature_pairs, curvatures, exponents, vectors
from grader.model.exercise import Region

MAX_BETA = 0.99
"""beta is drawn from [0, MAX_BETA]: nearer 1 a run needs far more steps to show its rate."""


def betas() -> st.SearchStrategy[float]:
    """A momentum coefficient in [0, MAX_BETA]; Hypothesis mixes in 0 and round values."""
    return st.floats(min_value=0.0, max_value=MAX_BETA)


def step_sizes_for(curvature: float, beta: float) -> st.SearchStrategy[float]:
    """eta from far below to beyond the stability bound 2 (1 + beta) / curvature."""
    fractions = st.floats(min_value=1e-3, max_value=1.5)
    return fractions.map(lambda f: float(f * 2.0 * (1.0 + beta) / curvature))


def _optimum(a: float, b: float) -> tuple[float, float]:
    kappa = max(a, b) / min(a, b)
    return 4.0 / (np.sqrt(a) + np.sqrt(b)) ** 2, ((np.sqrt(kappa) - 1.0) / (np.sqrt(kappa) + 1.0)) ** 2


@st.composite
def momentum_problems(draw) -> dict:
    """Curvatures a, b with a step size and a momentum coefficient: random, or (one case in
    five or so) Polyak's optimum for a, b, where the roots are double."""
    case = draw(curvature_pairs())
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        eta, beta = _optimum(case["a"], case["b"])
        return {**case, "eta": float(eta), "beta": float(beta)}
    case["beta"] = draw(betas())
    case["eta"] = draw(step_sizes_for(max(case["a"], case["b"]), case["beta"]))
    return case


@st.composite
def momentum_states(draw) -> dict:
    """The current and previous iterates with a momentum problem, for one step."""
    return {"w": draw(vectors(2)), "w_prev": draw(vectors(2)), **draw(momentum_problems())}


@st.composite
def single_coordinates(draw) -> dict:
    """One curvature c with a step size and a momentum coefficient, for the 2 x 2 matrix."""
    c, beta = draw(curvatures()), draw(betas())
    return {"c": c, "beta": beta, "eta": draw(step_sizes_for(c, beta))}


@st.composite
def curvatures_and_betas(draw) -> dict:
    return {**draw(curvature_pairs()), "beta": draw(betas())}


# --- regions every run includes (grader/model/exercise.py, Region) ---


def _problem(curvature_pair, beta, fraction) -> st.SearchStrategy[dict]:
    """A curvature pair with beta and eta = fraction * 2 (1 + beta) / max(a, b)."""

    def build(parts) -> dict:
        case, b, f = parts
        return {**case, "beta": b, "eta": float(f * 2.0 * (1.0 + b) / max(case["a"], case["b"]))}

    return st.tuples(curvature_pair, beta, fraction).map(build)


def _fractions(low: float = 1e-3, high: float = 1.5) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high)


@st.composite
def _complex_roots(draw) -> dict:
    """The stiff coordinate's roots complex: |1 + beta - eta c| < 2 sqrt(beta)."""
    case = draw(curvature_pairs())
    beta = draw(st.floats(min_value=0.1, max_value=MAX_BETA))
    trace = draw(st.floats(min_value=-0.9, max_value=0.9)) * 2.0 * np.sqrt(beta)
    return {**case, "beta": beta, "eta": float((1.0 + beta - trace) / max(case["a"], case["b"]))}


@st.composite
def _at_optimum(draw) -> dict:
    case = draw(curvature_pairs())
    eta, beta = _optimum(case["a"], case["b"])
    return {**case, "eta": float(eta), "beta": float(beta)}


MOMENTUM_REGIONS: tuple[Region, ...] = (
    *(Region(r.name, _problem(r.inputs, betas(), _fractions())) for r in CURVATURE_REGIONS),
    Region("beta = 0", _problem(curvature_pairs(), st.just(0.0), _fractions())),
    Region(
        "beta near 1",
        _problem(curvature_pairs(), st.floats(min_value=0.95, max_value=MAX_BETA), _fractions()),
    ),
    Region("eta beyond the bound", _problem(curvature_pairs(), betas(), _fractions(1.05, 1.5))),
    Region("complex roots", _complex_roots()),
    Region("Polyak's optimum (double roots)", _at_optimum()),
)


def _with_states(case: dict) -> st.SearchStrategy[dict]:
    return st.tuples(vectors(2), vectors(2)).map(lambda pair: {"w": pair[0], "w_prev": pair[1], **case})


STATE_REGIONS = tuple(Region(r.name, r.inputs.flatmap(_with_states)) for r in MOMENTUM_REGIONS)


def _coordinate(curvature, beta, fraction) -> st.SearchStrategy[dict]:
    def build(parts) -> dict:
        c, b, f = parts
        return {"c": c, "beta": b, "eta": float(f * 2.0 * (1.0 + b) / c)}

    return st.tuples(curvature, beta, fraction).map(build)


COORDINATE_REGIONS: tuple[Region, ...] = (
    Region("c tiny", _coordinate(exponents(-2.5, -1.5).map(lambda u: float(10.0**u)), betas(), _fractions())),
    Region("c huge", _coordinate(exponents(1.5, 2.5).map(lambda u: float(10.0**u)), betas(), _fractions())),
    Region("beta = 0", _coordinate(curvatures(), st.just(0.0), _fractions())),
    Region(
        "beta near 1", _coordinate(curvatures(), st.floats(min_value=0.95, max_value=MAX_BETA), _fractions())
    ),
    Region("eta beyond the bound", _coordinate(curvatures(), betas(), _fractions(1.05, 1.5))),
)

BETA_REGIONS: tuple[Region, ...] = (
    *(
        Region(r.name, st.tuples(r.inputs, betas()).map(lambda p: {**p[0], "beta": p[1]}))
        for r in CURVATURE_REGIONS
    ),
    Region("beta = 0", curvature_pairs().map(lambda case: {**case, "beta": 0.0})),
    Region(
        "beta near 1",
        st.tuples(curvature_pairs(), st.floats(min_value=0.95, max_value=MAX_BETA)).map(
            lambda p: {**p[0], "beta": p[1]}
        ),
    ),
)
