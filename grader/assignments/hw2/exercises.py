"""hw2's exercises, declaratively (SPEC section 6): heavy-ball momentum on the quadratic of
hw1. Each entry names a graded function, its points, its inputs and what is checked: the
reference on every case (always), centred differences (the matrix is the Jacobian of one step),
runs of the iteration around the bounds (the step-size range), and the rate runs show (the rates
and the optimum). The reference lives in solutions/momentum.py."""

from __future__ import annotations

import numpy as np

from grader.assignments import strategies as s
from grader.assignments.hw2 import mathematics as m
from grader.assignments.hw2 import strategies as hw2s
from grader.assignments.hw2.mistakes import CATALOGUE
from grader.model.exercise import (
    Case,
    Exercise,
    FiniteDifference,
    RateCheck,
    StepSizeBound,
    WrittenQuestion,
    bound_parts,
    pair_parts,
)
from grader.numerics.tolerance import OPTIMUM_STEP, REPEATED_ROOT_ALLOWANCE

MOMENTUM = "momentum"


def _entry(name: str, points: float, inputs, args, **checks) -> Exercise:
    return Exercise(
        name, MOMENTUM, points, inputs, tuple(args), misconceptions=CATALOGUE.get(name, ()), **checks
    )


def _step_scale(case: Case) -> np.ndarray:
    """w - eta c w + beta (w - w_prev) cancels when eta c ~ 1 + beta: its terms, per coordinate."""
    w, w_prev = np.abs(case["w"]), np.abs(case["w_prev"])
    curvature = np.array([case["a"], case["b"]])
    return w * (1.0 + case["eta"] * curvature + case["beta"]) + case["beta"] * w_prev


def _matrix_scale(case: Case) -> np.ndarray:
    """Only the top-left entry, 1 + beta - eta c, can cancel."""
    return np.array([[1.0 + case["beta"] + case["eta"] * case["c"], 0.0], [0.0, 0.0]])


OPTIMUM_SCALE = np.array([0.0, 1.0])
"""eta* is a quotient of positive terms; beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2
cancels as kappa -> 1, on the scale of 1."""


def _one_step(case: Case):
    """The matrix is the Jacobian of one step (w_t, w_{t-1}) -> (w_{t+1}, w_t) at curvature c."""

    def step(state: np.ndarray) -> np.ndarray:
        current, previous = state
        following = current - case["eta"] * case["c"] * current + case["beta"] * (current - previous)
        return np.array([following, current])

    return np.zeros(2), step


EXERCISES: tuple[Exercise, ...] = (
    _entry(
        "momentum_step",
        3,
        hw2s.momentum_states(),
        ["w", "w_prev", "a", "b", "eta", "beta"],
        unit=_step_scale,
        regions=hw2s.STATE_REGIONS,
    ),
    _entry(
        "momentum_matrix",
        4,
        hw2s.single_coordinates(),
        ["c", "eta", "beta"],
        unit=_matrix_scale,
        finite_difference=FiniteDifference("one momentum step (w_t, w_t-1) -> (w_t+1, w_t)", _one_step),
        regions=hw2s.COORDINATE_REGIONS,
    ),
    _entry(
        "momentum_rate",
        5,
        hw2s.momentum_problems(),
        ["a", "b", "eta", "beta"],
        unit=1.0,
        allowance=REPEATED_ROOT_ALLOWANCE,
        calls=("momentum_matrix",),
        rate_check=RateCheck("momentum", m.rates_at_case, m.claimed_rates),
        regions=hw2s.MOMENTUM_REGIONS,
    ),
    _entry(
        "momentum_eta_range",
        5,
        hw2s.curvatures_and_betas(),
        ["a", "b", "beta"],
        parts=bound_parts(0.25),
        step_size_bound=StepSizeBound(monotone=False, run=m.momentum_runs, method="Momentum"),
        regions=hw2s.BETA_REGIONS,
    ),
    _entry(
        "best_momentum",
        6,
        s.curvature_pairs(),
        ["a", "b"],
        parts=pair_parts("eta*", "beta*"),
        unit=OPTIMUM_SCALE,
        rate_check=RateCheck(
            "momentum",
            m.rates_at_answer,
            m.best_rates,
            lambda case, answer: m.nearby_parameters(case, answer, OPTIMUM_STEP),
        ),
        regions=s.CURVATURE_REGIONS,
    ),
    _entry(
        "best_momentum_rate",
        4,
        s.curvature_pairs(),
        ["a", "b"],
        unit=1.0,
        allowance=REPEATED_ROOT_ALLOWANCE,
        calls=("best_momentum", "momentum_rate"),
        rate_check=RateCheck("momentum", m.rates_at_optimum, m.claimed_rates),
        regions=s.CURVATURE_REGIONS,
    ),
)

WRITTEN: tuple[WrittenQuestion, ...] = (
    WrittenQuestion(
        "momentum_written",
        MOMENTUM,
        4,
        "For kappa = 100, the iterations GD at best_eta and momentum at best_momentum need to "
        "shrink the error by 1e-6, and why the square root of kappa appears.",
    ),
)
