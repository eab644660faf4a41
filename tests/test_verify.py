"""The reference is checked before anything is graded (grader/judge/verify.py): a reference
that is wrong in any way one of the checks can see is refused. Each test hands verify_reference
a deliberately wrong reference on a few fixed cases, beside the right one on the same cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from conftest import HW1
from grader import assignments
from grader.judge.verify import ReferenceBug, rate_disagreements, verify_reference
from grader.model.exercise import Case
from grader.numerics.tolerance import FD_RTOL, RATE_RTOL
from grader.plan.cases import ExercisePlan, evaluate
from solutions import backprop as bp
from solutions import gradient_descent as gd
from solutions import momentum

HW2 = assignments.get("hw2")
RNG = np.random.default_rng(21)
CURVATURES = [{"a": a, "b": b} for a, b in [(1.0, 100.0), (4.0, 1.0), (0.3, 2.0), (50.0, 0.7), (2.0, 2.0)]]
OUTPUTS = [{"y_hat": RNG.normal(size=q), "y": RNG.normal(size=q)} for q in (1, 2, 3, 5)]
POINTS = [{"w": RNG.normal(size=2) * 3, **c} for c in CURVATURES]


def plan_of(exercise, cases: list[Case], function: Callable) -> dict[str, ExercisePlan]:
    """One exercise's plan on `cases`, with `function` as its reference."""
    expected = tuple(evaluate(exercise, function, case) for case in cases)
    plan = ExercisePlan(
        exercise,
        tuple(cases),
        expected,
        (False,) * len(cases),
        tuple(exercise.unit_for(case) for case in cases),
        (0,) * len(cases),
    )
    return {exercise.name: plan}


def refused(exercise, cases: list[Case], right: Callable, wrong: Callable) -> str:
    """The right reference passes; the wrong one is refused, naming the exercise: the reason."""
    verify_reference(plan_of(exercise, cases, right))
    with pytest.raises(ReferenceBug) as raised:
        verify_reference(plan_of(exercise, cases, wrong))
    message = str(raised.value)
    assert f"{exercise.name}: " in message
    return message


def test_a_stability_bound_that_is_too_small_is_caught_just_outside_it():
    """GD at 1.001 x the monotone bound still converges: it is not where GD stops converging."""
    message = refused(HW1.by_name["eta_range"], CURVATURES, gd.eta_range, gd.monotone_eta_range)
    assert "reference bounds fail GD runs" in message


def test_a_lower_bound_that_is_too_large_is_caught_just_below_it():
    def wrong(a, b):
        return np.array([0.5 / max(a, b), 2.0 / max(a, b)])

    message = refused(HW1.by_name["eta_range"], CURVATURES, gd.eta_range, wrong)
    assert "reference bounds fail GD runs" in message


def test_a_bound_too_large_is_caught_just_inside_it():
    def wrong(a, b):
        return np.array([0.0, 2.01 / max(a, b)])

    refused(HW1.by_name["eta_range"], CURVATURES, gd.eta_range, wrong)
    refused(HW1.by_name["monotone_eta_range"], CURVATURES, gd.monotone_eta_range, gd.eta_range)


def _near_optimal(a, b):
    """Polyak's eta* with beta* 1.5 % too large: its rate is within RATE_RTOL of the best rate,
    so only the comparison with nearby parameters (beta a little smaller is faster) sees it."""
    eta, beta = momentum.best_momentum(a, b)
    return np.array([eta, beta * 1.015])


def test_parameters_that_are_not_optimal_are_caught_by_nearby_ones():
    exercise = HW2.by_name["best_momentum"]
    cases = [c for c in CURVATURES if c["a"] != c["b"]]
    message = refused(exercise, cases, momentum.best_momentum, _near_optimal)
    assert "the reference's optimal parameters disagree with momentum runs" in message
    assert exercise.rate_check is not None
    rate_only = replace(exercise, rate_check=replace(exercise.rate_check, perturb=None))
    [plan] = plan_of(rate_only, cases, _near_optimal).values()
    assert rate_disagreements(plan) == [], (
        f"the rate alone is within {RATE_RTOL:g}: only the optimum check sees it"
    )


def test_a_wrong_rate_is_caught_by_momentum_runs():
    def wrong(a, b, eta, beta):
        return momentum.momentum_rate(a, b, eta, beta) * 1.05

    exercise = HW2.by_name["momentum_rate"]
    cases = [{**c, "eta": 0.5 / max(c["a"], c["b"]), "beta": 0.3} for c in CURVATURES]
    message = refused(exercise, cases, momentum.momentum_rate, wrong)
    assert "the reference's rate disagree" in message


@pytest.mark.parametrize("error", [1e-3, 3e-3])
def test_a_gradient_off_by_a_few_tenths_of_a_percent_disagrees_with_finite_differences(error):
    """Errors well above FD_RTOL (and far below 100 x FD_RTOL) are refused, with or without
    the grader's own closed form to fall back on."""
    assert FD_RTOL * 2 < error / 2 < FD_RTOL * 100 / 2

    def off_output(y_hat, y):
        return bp.dE_dyhat(y_hat, y) * (1 + error)

    def off_quadratic(w, a, b):
        return gd.grad_L(w, a, b) * (1 + error)

    message = refused(HW1.by_name["dE_dyhat"], OUTPUTS, bp.dE_dyhat, off_output)
    assert (
        "disagrees with centred differences of E with respect to y_hat, and with the grader's own" in message
    )
    message = refused(HW1.by_name["grad_L"], POINTS, gd.grad_L, off_quadratic)
    assert "disagrees with centred differences of L with respect to w (relative error" in message


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_reference_that_returns_nan_or_inf_is_refused(bad):
    def poisoned_output(y_hat, y):
        out = bp.dE_dyhat(y_hat, y)
        out[-1] = bad
        return out

    def poisoned_quadratic(w, a, b):
        return gd.grad_L(w, a, b) * bad

    refused(HW1.by_name["dE_dyhat"], OUTPUTS, bp.dE_dyhat, poisoned_output)
    refused(HW1.by_name["grad_L"], POINTS, gd.grad_L, poisoned_quadratic)
