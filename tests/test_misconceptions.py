"""The catalogue of misconceptions: every entry is recognised from its own answers, and no
correct answer is ever told it has one."""

import numpy as np
import pytest

from conftest import HW1
from grader.assignments.hw1.mistakes import CATALOGUE
from grader.explain.diagnose import matching_misconception
from grader.judge.checks import compare
from grader.plan.cases import as_answer

EXERCISES = HW1.exercises

ENTRIES = [(e.name, m.key) for e in EXERCISES for m in e.misconceptions]


def test_the_catalogue_is_large_and_covers_the_classic_mistakes():
    assert len(ENTRIES) >= 20
    keys = {key for _, key in ENTRIES}
    for classic in (
        "missing_two",
        "sign",
        "sigma",
        "z_one_minus_z",
        "column_major",
        "transposed",
        "mean",
        "norm",
        "eta_over_curvature",
        "monotone_bound",
        "wrong_coordinate",
        "stability_bound",
        "best_eta",
        "ascent",
        "preactivation_output",
    ):
        assert classic in keys, classic


def answers_of(exercise, plan, function):
    """(case, CaseCheck) for every case where `function` disagrees with the reference."""
    failures = []
    for case, expected, unit in zip(plan.cases, plan.expected, plan.units, strict=True):
        with np.errstate(all="ignore"):
            answer = as_answer(exercise, function(*exercise.call_args(case)))
        check = compare(exercise, expected, answer, unit)
        if not check.passed:
            failures.append((case, check))
    return failures


@pytest.mark.parametrize(("name", "key"), ENTRIES, ids=[f"{n}-{k}" for n, k in ENTRIES])
def test_each_misconception_is_recognised_from_its_own_answers(grader, name, key):
    plan = grader.plan[name]
    exercise = plan.exercise
    misconception = next(m for m in CATALOGUE[name] if m.key == key)
    failures = answers_of(exercise, plan, misconception.variant)
    assert failures, f"{name}/{key} never differs from the reference on the graded cases"
    found = matching_misconception(exercise, failures)
    assert found is not None and found.key == key, f"{name}/{key} recognised as {found and found.key}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_the_reference_matches_no_misconception(grader, exercise):
    plan = grader.plan[exercise.name]
    for misconception in exercise.misconceptions:
        failures = answers_of(exercise, plan, misconception.variant)
        assert failures, f"{exercise.name}/{misconception.key} equals the reference everywhere"
