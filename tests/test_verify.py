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
from grader.judge.verify import ReferenceBug, finite_difference_errors, rate_disagreements, verify_reference
from grader.model.exercise import Case, RateCheck
from grader.numerics.tolerance import FD_RTOL, OPTIMUM_SLACK, RATE_RTOL
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


def test_a_right_reference_that_centred_differences_cannot_judge_is_held_to_the_graders_own_formula():
    """At z = -745 sigma's slope underflows: centred differences are off by 100 %, the grader's own
    formula agrees with the reference, so it is accepted; a reference that is wrong there too is not."""
    exercise = HW1.by_name["dh_dz"]
    cases = [{"z": np.array([-745.0])}, {"z": np.array([0.5, -745.0])}]
    [plan] = plan_of(exercise, cases, bp.dh_dz).values()
    assert finite_difference_errors(plan)[0] > FD_RTOL, "centred differences cannot judge this case"
    message = refused(exercise, cases, bp.dh_dz, lambda z: np.diag(np.full(len(z), 0.25)))
    assert message.endswith(f"(relative error 1 on case {cases[0]})")


def test_the_case_named_is_the_worst_one():
    def off_output(y_hat, y):
        return bp.dE_dyhat(y_hat, y) * (1.003 if len(y) == 1 else 1.001)

    assert len(OUTPUTS[0]["y"]) == 1
    message = refused(HW1.by_name["dE_dyhat"], OUTPUTS, bp.dE_dyhat, off_output)
    assert message.endswith(f"on case {OUTPUTS[0]})")


def test_a_bound_wrong_on_some_cases_is_named_with_the_first_of_them():
    def wrong(a, b):
        return gd.eta_range(a, b) * (1.01 if a in (50.0, 2.0) else 1.0)

    message = refused(HW1.by_name["eta_range"], CURVATURES, gd.eta_range, wrong)
    assert message.endswith(f"reference bounds fail GD runs on case {CURVATURES[3]}")


def synthetic(claimed: list[float], nearby: list[list[float]] | None, observed: list[float]) -> dict:
    """A plan whose answers are the rates runs would show (observe reads them back), with
    `claimed` as what they should be and, per case, the rates of nearby parameters."""
    check = RateCheck(
        "momentum",
        lambda cases, answers: np.array([float(answer[0]) for answer in answers]),
        lambda cases, answers: np.array([case["claim"] for case in cases]),
        None if nearby is None else (lambda case, answer: [np.array([r]) for r in case["near"]]),
    )
    exercise = replace(HW2.by_name["best_momentum"], rate_check=check)
    near = nearby or [[]] * len(claimed)
    cases = tuple({"claim": c, "near": n} for c, n in zip(claimed, near, strict=True))
    expected = tuple(np.array([o]) for o in observed)
    n = len(cases)
    plan = ExercisePlan(exercise, cases, expected, (False,) * n, (1.0,) * n, (0,) * n)
    return {exercise.name: plan}


def rate_problem(claimed, nearby, observed) -> str | None:
    try:
        verify_reference(synthetic(claimed, nearby, observed))
    except ReferenceBug as exc:
        return str(exc)
    return None


def test_nearby_parameters_may_beat_the_optimum_by_the_slack_and_no_more():
    """OPTIMUM_SLACK (0.1 %) is observation noise: a nearby rate 0.09 % faster is forgiven, one
    0.11 % faster is not; exactly on the edge (with its 1e-12 absolute noise) is forgiven."""
    edge = 0.5 * (1 - OPTIMUM_SLACK) - 1e-12
    for near in (0.5 * (1 - 0.0009), edge, 0.5, 0.7):
        assert rate_problem([0.5], [[0.6, near]], [0.5]) is None, near
    for near in (0.5 * (1 - 0.0011), np.nextafter(edge, 0)):
        message = rate_problem([0.5], [[0.6, near]], [0.5])
        assert message == (
            "the reference solution fails its own checks:\n"
            "best_momentum: the reference's optimal parameters disagree with momentum runs on case "
            f"{ {'claim': 0.5, 'near': [0.6, near]} }"
        )


def test_every_nearby_choice_and_the_claim_are_all_checked():
    assert rate_problem([0.5], [[0.4, 0.6]], [0.5]), "the first nearby choice beats it"
    assert rate_problem([0.5], [[0.6, 0.4]], [0.5]), "the last one does"
    assert rate_problem([0.6], [[0.6, 0.6]], [0.5]), "the best rate is not what runs show"
    assert rate_problem([0.5, 0.5], [[0.6], [0.4]], [0.5, 0.5]).endswith("'near': [0.4]}")


def test_a_claimed_rate_agrees_within_one_percent_or_1e_9():
    assert rate_problem([0.5 * 1.0099, 0.1, 1e-9, 10.0], None, [0.5, 0.1 * 1.0099, 0.0, 10.1]) is None
    for claimed, observed in [(0.515, 0.5), (0.5, 0.515), (2.1e-9, 0.0), (10.0, 10.2)]:
        message = rate_problem([0.3, claimed], None, [0.3, observed])
        assert message and message.endswith(
            f"best_momentum: the reference's rate disagree with momentum runs on case "
            f"{ {'claim': claimed, 'near': []} }"
        ), (claimed, observed)


def test_no_cases_no_disagreement():
    assert rate_problem([], [], []) is None
    assert rate_problem([], None, []) is None


def test_every_problem_is_listed_one_per_line():
    plan = {
        **synthetic([0.6], None, [0.5]),
        **plan_of(HW1.by_name["dE_dyhat"], OUTPUTS, lambda y_hat, y: y_hat),
    }
    with pytest.raises(ReferenceBug) as raised:
        verify_reference(plan)
    lines = str(raised.value).split("\n")
    assert lines[0] == "the reference solution fails its own checks:" and len(lines) == 3
    assert lines[1].startswith("best_momentum: ") and lines[2].startswith("dE_dyhat: ")
