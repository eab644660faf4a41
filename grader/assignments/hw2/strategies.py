"""hw2's input strategies, composed from grader/assignments/strategies.py: curvatures, momentum
coefficients beta in [0, 1), step sizes around the stability bound 2 (1 + beta) / c, and now
and then Polyak's optimum itself, where both of a coordinate's roots coincide."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from grader.assignments.strategies import curvature_pairs, curvatures, vectors

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
