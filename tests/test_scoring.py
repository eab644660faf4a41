"""The partial-credit rule of grader/scoring.py."""

from conftest import HW1
from grader import assignments
from grader.judge.checks import CaseCheck, Verdict
from grader.judge.scoring import EDGE_CREDIT, score, status

BY_NAME = HW1.by_name
HW2 = assignments.get("hw2")

OK, BAD = CaseCheck(Verdict.PASS, (True,)), CaseCheck(Verdict.FAIL, (False,))
OK2 = CaseCheck(Verdict.PASS, (True, True))


def test_all_right_full_marks_edge_only_wrong_half_marks_else_zero():
    exercise = BY_NAME["dE_dW1"]
    edge = (False, True, False, True)
    assert score(exercise, [OK] * 4, edge) == 8
    assert score(exercise, [OK, BAD, OK, OK], edge) == 8 * EDGE_CREDIT
    assert score(exercise, [BAD, OK, OK, OK], edge) == 0
    assert score(exercise, [OK, OK], edge) == 0, "cases never reached count as wrong"


def test_bounds_are_scored_separately():
    exercise = BY_NAME["eta_range"]
    low_only = CaseCheck(Verdict.FAIL, (True, False))
    assert score(exercise, [low_only] * 3, (False,) * 3) == 2.0
    assert status(exercise, 2.0, [low_only]) == "partial"


def test_statuses():
    exercise = BY_NAME["loss"]
    assert status(exercise, 0, [CaseCheck(Verdict.TIMEOUT, (False,))]) == "timeout"
    assert status(exercise, 0, [CaseCheck(Verdict.ERROR, (False,))]) == "error"
    assert status(exercise, 0, [BAD, CaseCheck(Verdict.ERROR, (False,))]) == "failed"
    assert status(exercise, 0, [CaseCheck(Verdict.CRASH, (False,))]) == "error", "a crash is an error"
    assert (
        status(exercise, 0, [CaseCheck(Verdict.CRASH, (False,)), CaseCheck(Verdict.ERROR, (False,))])
        == "error"
    )
    assert status(exercise, 0, [BAD, CaseCheck(Verdict.CRASH, (False,))]) == "failed"
    assert (
        status(exercise, 0, [CaseCheck(Verdict.CRASH, (False,)), CaseCheck(Verdict.TIMEOUT, (False,))])
        == "timeout"
    )
    assert status(exercise, 0, [BAD]) == "failed"
    assert status(exercise, 1, [OK, BAD]) == "partial"
    assert status(exercise, 2, [OK]) == "passed"


def test_a_fractional_share_keeps_its_fraction():
    """momentum_eta_range is worth 5 points, its lower bound a quarter: 1.25, not rounded to 1."""
    exercise = HW2.by_name["momentum_eta_range"]
    low_only = CaseCheck(Verdict.FAIL, (True, False))
    upper_edge_wrong = CaseCheck(Verdict.FAIL, (True, False))
    assert score(exercise, [low_only] * 2, (False, False)) == 1.25
    assert score(exercise, [OK2, upper_edge_wrong], (False, True)) == 1.25 + 3.75 * EDGE_CREDIT
    assert status(exercise, 1.25, [low_only]) == "partial"


def test_cases_never_reached_without_an_error_are_a_failure():
    exercise = BY_NAME["loss"]
    assert status(exercise, 0, [OK, OK]) == "failed"
    assert status(exercise, 0, []) == "failed"
