"""Error carried forward (grader/explain/carry.py), unit by unit: gd_step rebuilt from the
student's own grad_L answers. A rebuild uses only answers the student gave, or the reference
where the function passed everywhere; every failing answer (up to the limit) must equal it."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import HW1
from grader.explain.carry import Answers, Undecidable, consistent_with_own_functions
from grader.judge.checks import CaseCheck, Verdict
from solutions import gradient_descent as gd

GD_STEP = HW1.by_name["gd_step"]
RNG = np.random.default_rng(5)
POINTS = [{"w": RNG.normal(size=2), "a": float(a), "b": float(b)} for a, b in [(1, 3), (0.5, 7), (2, 0.2)]]
STEPS = [{**point, "eta": 0.1 * (k + 1)} for k, point in enumerate(POINTS)]


def own_grad_L(w, a, b):
    """The student's grad_L: wrong by a factor 2."""
    return 2.0 * gd.grad_L(w, a, b)


def failed(answer) -> CaseCheck:
    return CaseCheck(Verdict.FAIL, (False,), "wrong", np.asarray(answer, dtype=np.float64))


def answers(passed: set[str], points=POINTS) -> Answers:
    """grad_L graded on `points`, with the student's (wrong) answers there."""
    checks = {"grad_L": [failed(own_grad_L(p["w"], p["a"], p["b"])) for p in points]}
    return Answers(HW1, {"grad_L": tuple(points)}, checks, passed, {"grad_L": gd.grad_L})


def consistent_step(case) -> np.ndarray:
    """gd_step built on the student's own grad_L: what carrying forward credits."""
    return case["w"] - case["eta"] * own_grad_L(case["w"], case["a"], case["b"])


def test_answers_on_graded_inputs_are_the_students_own():
    given = answers(set())
    point = POINTS[1]
    np.testing.assert_array_equal(
        given.answer("grad_L", (point["w"], point["a"], point["b"])),
        own_grad_L(point["w"], point["a"], point["b"]),
    )


def test_the_reference_stands_in_only_for_a_function_that_passed():
    elsewhere = (np.array([0.3, -1.2]), 4.0, 5.0)
    with pytest.raises(Undecidable):
        answers(set()).answer("grad_L", elsewhere)
    np.testing.assert_array_equal(answers({"grad_L"}).answer("grad_L", elsewhere), gd.grad_L(*elsewhere))


def test_failing_answers_that_equal_the_rebuild_are_consistent():
    failures = [(case, failed(consistent_step(case))) for case in STEPS]
    assert consistent_with_own_functions(GD_STEP, failures, answers(set()))


@pytest.mark.parametrize("odd", [0, 1, 2])
def test_one_failing_answer_that_is_not_the_rebuild_is_enough_to_refuse(odd):
    failures = [(case, failed(consistent_step(case))) for case in STEPS]
    case = STEPS[odd]
    failures[odd] = (case, failed(consistent_step(case) + [0.25, -0.5]))
    assert not consistent_with_own_functions(GD_STEP, failures, answers(set()))


def test_a_rebuild_through_a_failed_function_on_an_ungraded_input_is_undecidable():
    """grad_L failed and was never graded at STEPS[2]'s point: nothing is carried, even when the
    answer there equals the reference's rebuild."""
    failures = [(case, failed(consistent_step(case))) for case in STEPS[:2]]
    last = STEPS[2]
    failures.append((last, failed(last["w"] - last["eta"] * gd.grad_L(last["w"], last["a"], last["b"]))))
    assert not consistent_with_own_functions(GD_STEP, failures, answers(set(), POINTS[:2]))
