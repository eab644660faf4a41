"""Checking the reference itself, independently of it: every gradient and Jacobian against
centred differences computed by the grader, and every step-size bound against runs of the
iteration just inside and just outside it. A grader whose reference fails this refuses to
grade."""

from __future__ import annotations

import numpy as np

from grader.judge.checks import compare
from grader.numerics.calculus import central_differences
from grader.numerics.tolerance import FD_RTOL, GD_MARGIN, OPTIMUM_SLACK, RATE_RTOL, fd_relative_error
from grader.plan.cases import ExercisePlan, as_answer


class ReferenceBug(Exception):
    pass


def finite_difference_errors(plan: ExercisePlan) -> list[float]:
    """Relative error between the reference and centred differences, case by case."""
    check = plan.exercise.finite_difference
    assert check is not None
    errors = []
    for case, expected in zip(plan.cases, plan.expected, strict=True):
        theta, f = check.target(case)
        numeric = central_differences(f, theta)
        errors.append(fd_relative_error(expected, numeric.jacobian, numeric.noise))
    return errors


def step_size_violations(plan: ExercisePlan) -> list[int]:
    """Indices of cases whose reference bounds do not behave as bounds when the iteration runs."""
    bound = plan.exercise.step_size_bound
    assert bound is not None
    cases = list(plan.cases)
    low = np.array([e[0] for e in plan.expected])
    high = np.array([e[1] for e in plan.expected])
    step = GD_MARGIN * high
    inside = bound.behaves(cases, high - step) & bound.behaves(cases, low + step)
    outside = ~bound.behaves(cases, high + step) & ~bound.behaves(cases, low - step)
    return [int(i) for i in np.flatnonzero(~(inside & outside))]


def rate_disagreements(plan: ExercisePlan) -> list[int]:
    """Indices of cases where the rate runs show differs from the reference's claim, or where
    parameters that claim to be optimal are beaten by nearby ones."""
    check = plan.exercise.rate_check
    assert check is not None
    cases, answers = list(plan.cases), list(plan.expected)
    observed = check.observe(cases, answers)
    claimed = check.claim(cases, answers)
    bad = ~(np.abs(observed - claimed) <= RATE_RTOL * np.maximum(observed, claimed) + 1e-9)
    if check.perturb is not None:
        nearby = [check.perturb(case, answer) for case, answer in zip(cases, answers, strict=True)]
        for k in range(len(nearby[0]) if nearby else 0):
            other = check.observe(cases, [choices[k] for choices in nearby])
            bad |= other < observed * (1 - OPTIMUM_SLACK) - 1e-12
    return [int(i) for i in np.flatnonzero(bad)]


def finite_difference_problem(plan: ExercisePlan) -> str | None:
    """Why the reference fails its finite-difference check, or None. A case that centred
    differences cannot judge (E varies faster than their step) is held to the grader's own
    closed form instead, when the exercise has one: the check's limits are never blamed on a
    correct reference."""
    check = plan.exercise.finite_difference
    assert check is not None
    errors = finite_difference_errors(plan)
    failing = [i for i, error in enumerate(errors) if error > FD_RTOL]
    if check.independent is not None:
        failing = [i for i in failing if not _agrees_with_own(plan, i)]
    if not failing:
        return None
    worst = max(failing, key=lambda i: errors[i])
    also = "" if check.independent is None else ", and with the grader's own formula"
    return (
        f"{plan.exercise.name}: the reference disagrees with centred differences of {check.of}{also} "
        f"(relative error {errors[worst]:.3g} on case {plan.cases[worst]})"
    )


def _agrees_with_own(plan: ExercisePlan, index: int) -> bool:
    check = plan.exercise.finite_difference
    assert check is not None and check.independent is not None
    own = as_answer(plan.exercise, check.independent(plan.cases[index]))
    return compare(plan.exercise, own, plan.expected[index], plan.units[index]).passed


def verify_reference(plan: dict[str, ExercisePlan]) -> None:
    problems = []
    for name, exercise_plan in plan.items():
        exercise = exercise_plan.exercise
        if exercise.finite_difference is not None:
            problem = finite_difference_problem(exercise_plan)
            if problem:
                problems.append(problem)
        if exercise.step_size_bound is not None:
            bad = step_size_violations(exercise_plan)
            if bad:
                problems.append(
                    f"{name}: reference bounds fail {exercise.step_size_bound.method} runs on case "
                    f"{exercise_plan.cases[bad[0]]}"
                )
        if exercise.rate_check is not None:
            bad = rate_disagreements(exercise_plan)
            if bad:
                what = "optimal parameters" if exercise.rate_check.parameters else "rate"
                problems.append(
                    f"{name}: the reference's {what} disagree with {exercise.rate_check.method} runs on case "
                    f"{exercise_plan.cases[bad[0]]}"
                )
    if problems:
        raise ReferenceBug("the reference solution fails its own checks:\n" + "\n".join(problems))
