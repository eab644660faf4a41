"""Naming a student's likely mistake: a known-wrong variant that reproduces the answers, or a
recognisable shape error. Only answers the student actually returned are used."""

from __future__ import annotations

import numpy as np

from grader.judge.checks import CaseCheck, compare
from grader.model.exercise import Case, Exercise, Misconception
from grader.model.results import Mistake
from grader.plan.cases import as_answer


def matching_misconception(
    exercise: Exercise, failures: list[tuple[Case, CaseCheck]]
) -> Misconception | None:
    """The first catalogued misconception whose variant equals every failing answer."""
    answered = [(case, check) for case, check in failures if check.answer is not None]
    if not answered:
        return None
    for misconception in exercise.misconceptions:
        if all(_reproduces(exercise, misconception, case, check) for case, check in answered):
            return misconception
    return None


def _reproduces(exercise: Exercise, misconception: Misconception, case: Case, check: CaseCheck) -> bool:
    if check.answer is None:
        return False
    try:
        with np.errstate(all="ignore"):
            variant = as_answer(exercise, misconception.variant(*exercise.call_args(case)))
        return compare(exercise, variant, check.answer, exercise.unit_for(case)).passed
    except (ValueError, TypeError, IndexError, ZeroDivisionError, np.linalg.LinAlgError):
        return False


def constant_answer(failures: list[tuple[Case, CaseCheck]]) -> bool:
    """The same answer for every failing input: hard-coded, e.g. from a worked example."""
    answers = [check.answer for _, check in failures if check.answer is not None]
    if len(answers) < 3 or isinstance(answers[0], tuple):
        return False
    return all(np.shape(a) == np.shape(answers[0]) and np.array_equal(a, answers[0]) for a in answers)


HARD_CODED = (
    Mistake.HARD_CODED,
    "Your answer is the same whatever the input: it looks hard-coded (from an example you worked "
    "by hand?). Compute it from the arguments.",
)


def shape_mistake(expected_shape: tuple[int, ...], actual_shape: tuple[int, ...]) -> tuple[str, str] | None:
    """(key, explanation) of a common shape error, if this is one."""
    if expected_shape == actual_shape:
        return None
    if len(expected_shape) == 2 and actual_shape == expected_shape[::-1]:
        return (
            Mistake.TRANSPOSED,
            "Your answer is transposed: rows should index the output, columns the input.",
        )
    if (
        len(expected_shape) == 2
        and expected_shape[0] == expected_shape[1]
        and actual_shape == expected_shape[:1]
    ):
        return (
            Mistake.DIAGONAL_AS_VECTOR,
            "You returned the diagonal as a vector; the Jacobian is the full (diagonal) matrix.",
        )
    squeezed = tuple(d for d in expected_shape if d != 1)
    if actual_shape == squeezed:
        return (
            Mistake.SQUEEZED,
            "Your answer lost a dimension of length 1 (squeeze, .item() or indexing drops "
            "it): keep the shape the same whatever the sizes.",
        )
    if tuple(d for d in actual_shape if d != 1) == squeezed and len(actual_shape) > len(expected_shape):
        return (
            Mistake.EXTRA_DIMENSION,
            "Your answer has an extra dimension of length 1 (a column or row vector): return 1-D vectors.",
        )
    if int(np.prod(actual_shape)) == int(np.prod(expected_shape)):
        return (
            Mistake.RESHAPED,
            "Your answer has the right number of entries in the wrong shape: check how you reshape.",
        )
    return None
