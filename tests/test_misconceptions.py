"""The catalogue of misconceptions: every entry is recognised from its own answers, and no
correct answer is ever told it has one."""

import numpy as np
import pytest

from grader import assignments
from grader.explain.diagnose import matching_misconception
from grader.judge.checks import compare
from grader.plan.cases import as_answer

EXERCISES = [(i, e) for i in assignments.ids() for e in assignments.get(i).exercises]
ENTRIES = [(i, e.name, m.key) for i, e in EXERCISES for m in e.misconceptions]


def test_the_catalogue_is_large_and_covers_the_classic_mistakes():
    assert len([e for e in ENTRIES if e[0] == "hw1"]) >= 20
    assert len([e for e in ENTRIES if e[0] == "hw2"]) >= 20
    keys = {key for _, _, key in ENTRIES}
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


@pytest.mark.parametrize(
    ("assignment_id", "name", "key"), ENTRIES, ids=[f"{i}-{n}-{k}" for i, n, k in ENTRIES]
)
def test_each_misconception_is_recognised_from_its_own_answers(core, assignment_id, name, key):
    plan = core.grader(assignment_id).plan[name]
    exercise = plan.exercise
    misconception = next(m for m in exercise.misconceptions if m.key == key)
    failures = answers_of(exercise, plan, misconception.variant)
    assert failures, f"{name}/{key} never differs from the reference on the graded cases"
    found = matching_misconception(exercise, failures)
    assert found is not None and found.key == key, f"{name}/{key} recognised as {found and found.key}"


@pytest.mark.parametrize(("assignment_id", "exercise"), EXERCISES, ids=[e.name for _, e in EXERCISES])
def test_the_reference_matches_no_misconception(core, assignment_id, exercise):
    plan = core.grader(assignment_id).plan[exercise.name]
    for misconception in exercise.misconceptions:
        failures = answers_of(exercise, plan, misconception.variant)
        assert failures, f"{exercise.name}/{misconception.key} equals the reference everywhere"
