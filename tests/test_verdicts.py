"""Verdicts on answers of two parts (a pair of bounds, eta* and beta*), from answers to verdicts
through compare only, so these hold whatever checks.py does inside: each part is judged on its
own term sizes and named in the reason, and an answer of the wrong shape is refused whole."""

from __future__ import annotations

import numpy as np

from grader import assignments
from grader.judge.checks import Verdict, compare

HW2 = assignments.get("hw2")
RANGE = HW2.by_name["momentum_eta_range"]
OPTIMUM = HW2.by_name["best_momentum"]
OPTIMUM_UNIT = OPTIMUM.unit_for({"a": 1.0, "b": 100.0})


def test_a_wrong_bound_is_named_in_the_reason():
    check = compare(RANGE, np.array([0.0, 1.5]), np.array([0.0, 1.6]))
    assert (check.kind, check.parts_passed) == (Verdict.FAIL, (True, False))
    assert check.reason == "upper bound: relative error 0.0323, more than the tolerance 1e-07"
    check = compare(OPTIMUM, np.array([0.5, 0.25]), np.array([0.6, 0.25]), OPTIMUM_UNIT)
    assert check.reason == "eta*: relative error 0.0909, more than the tolerance 1e-07"


def test_an_answer_with_an_extra_entry_is_refused_whole_even_if_its_first_two_are_right():
    check = compare(RANGE, np.array([0.0, 1.5]), np.array([0.0, 1.5, 7.0]))
    assert (check.kind, check.parts_passed, check.reason) == (
        Verdict.FAIL,
        (False, False),
        "shape (3,), expected (2,)",
    )


def test_each_part_is_judged_on_its_own_term_size():
    """beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2 cancels on the scale of 1, so 5e-9 off a
    beta* of 0 is rounding; eta* is on its own scale, so 5e-9 off an eta* of 1e-3 is not."""
    assert OPTIMUM_UNIT.tolist() == [0.0, 1.0]
    expected = np.array([1e-3, 0.0])
    beta_off = compare(OPTIMUM, expected, np.array([1e-3, 5e-9]), OPTIMUM_UNIT)
    assert (beta_off.kind, beta_off.parts_passed) == (Verdict.PASS, (True, True))
    eta_off = compare(OPTIMUM, expected, np.array([1e-3 + 5e-9, 0.0]), OPTIMUM_UNIT)
    assert (eta_off.kind, eta_off.parts_passed) == (Verdict.FAIL, (False, True))
    assert eta_off.reason.startswith("eta*: relative error 2.49e-06")


def test_without_a_unit_every_value_is_judged_on_its_own_scale():
    """compare's default term size is 0: 5e-9 off 1e-3 is 5e-6 relative, far past the tolerance."""
    check = compare(RANGE, np.array([1e-3, 1.5]), np.array([1e-3 + 5e-9, 1.5]))
    assert (check.kind, check.parts_passed) == (Verdict.FAIL, (False, True))
