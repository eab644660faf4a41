"""Checking answers against the reference (grader/judge/checks.py) without a sandbox: each case's
verdict, which parts passed, the reason in words and the answer kept, for every kind of outcome,
in the order the cases came (a fast test, so the mutation run reaches these rules)."""

from __future__ import annotations

import numpy as np

from conftest import HW1
from grader.judge.checks import Verdict, check_outcomes, compare
from grader.run.runner import OutcomeKind

FORWARD = HW1.by_name["forward"]
DE_DYHAT = HW1.by_name["dE_dyhat"]
Z, H, Y = np.array([0.5, -1.0, 2.0]), np.array([0.6, 0.3, 0.9]), np.array([1.5, -0.25])


def test_each_part_of_a_tuple_is_judged_and_named():
    wrong_z, short_h = Z * (1 + 1e-3), H[:2]
    [check] = check_outcomes(FORWARD, [(Z, H, Y)], [(OutcomeKind.OK, (wrong_z, short_h, Y))], [0.0])
    assert check.kind is Verdict.FAIL and check.parts_passed == (False, False, True)
    first, second = check.reason.split("; ")
    assert first.startswith("z: relative error ") and first.endswith("more than the tolerance 1e-07")
    assert second == "h: shape (2,), expected (3,)"
    assert check.answer[0] is wrong_z and check.answer[1] is short_h


def test_a_right_answer_passes_every_part_with_no_reason():
    [check] = check_outcomes(FORWARD, [(Z, H, Y)], [(OutcomeKind.OK, (Z.copy(), H.copy(), Y.copy()))], [0.0])
    assert check.kind is Verdict.PASS and check.passed and check.parts_passed == (True, True, True)
    assert check.reason == "" and not check.wrong


def test_a_single_answer_of_the_wrong_shape_says_both_shapes():
    check = compare(DE_DYHAT, Y, np.zeros(3))
    assert (check.kind, check.parts_passed, check.reason) == (
        Verdict.FAIL,
        (False,),
        "shape (3,), expected (2,)",
    )
    assert check.wrong and check.answer.shape == (3,)


def test_every_kind_of_outcome_keeps_its_place_and_its_words():
    outcomes = [
        (OutcomeKind.OK, Y.copy()),
        (OutcomeKind.ERROR, "ValueError: no"),
        (OutcomeKind.OK, Y * 2),
        (OutcomeKind.TIMEOUT, "dE_dyhat did not return within 2 s"),
        (OutcomeKind.CRASH, "dE_dyhat crashed: killed"),
        (OutcomeKind.OK, np.zeros(5)),
        (OutcomeKind.OK, Y.copy()),
    ]
    checks = check_outcomes(DE_DYHAT, [Y] * len(outcomes), outcomes, [0.0] * len(outcomes))
    assert [c.kind for c in checks] == [
        Verdict.PASS,
        Verdict.ERROR,
        Verdict.FAIL,
        Verdict.TIMEOUT,
        Verdict.CRASH,
        Verdict.FAIL,
        Verdict.PASS,
    ]
    assert [c.parts_passed for c in checks] == [
        (True,),
        (False,),
        (False,),
        (False,),
        (False,),
        (False,),
        (True,),
    ]
    assert checks[1].reason == "ValueError: no" and checks[3].reason.endswith("within 2 s")
    assert checks[4].reason == "dE_dyhat crashed: killed" and checks[5].reason == "shape (5,), expected (2,)"
    assert checks[2].reason.startswith("relative error ") and "answer:" not in checks[2].reason
    assert [c.wrong for c in checks] == [False, True, True, False, False, True, False]
