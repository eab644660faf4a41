"""Naming a student's likely mistake: a known-wrong variant that reproduces the answers, or a
recognisable shape error. Only answers the student actually returned are used."""

from __future__ import annotations

import numpy as np

from grader.judge.checks import CaseCheck, Verdict, compare
from grader.model.exercise import Answer, Case, Exercise, Misconception
from grader.model.results import Mistake
from grader.plan.cases import as_answer

Graded = list[tuple[Case, CaseCheck]]
"""Cases with the student's verdict on each."""
CONTRADICTIONS_CHECKED = 60
"""Passing cases a named mistake must also explain (a sample, in order: it is deterministic)."""


def matching_misconception(
    exercise: Exercise,
    failures: Graded,
    passes: list[tuple[Case, CaseCheck, Answer]] | None = None,
) -> Misconception | None:
    """The first catalogued misconception whose variant equals every failing answer and does not
    contradict the passing ones (where the student was right, the variant must be right too):
    an answer that is 0 through cancellation is not "truncated to an int" when the same
    function got 2.5 right."""
    answered = [(case, check) for case, check in failures if check.answer is not None]
    if not answered:
        return None
    for misconception in exercise.misconceptions:
        if not all(_reproduces(exercise, misconception, case, check.answer) for case, check in answered):
            continue
        sample = (passes or [])[:CONTRADICTIONS_CHECKED]
        if all(_reproduces(exercise, misconception, case, expected) for case, _, expected in sample):
            return misconception
    return None


def _reproduces(exercise: Exercise, misconception: Misconception, case: Case, answer: Answer | None) -> bool:
    if answer is None:
        return False
    try:
        with np.errstate(all="ignore"):
            variant = as_answer(exercise, misconception.variant(*exercise.call_args(case)))
        return compare(exercise, variant, answer, exercise.unit_for(case)).passed
    except (ValueError, TypeError, IndexError, ZeroDivisionError, np.linalg.LinAlgError):
        return False


def constant_answer(graded: Graded) -> bool:
    """The same answer for every input, passing cases included: hard-coded, e.g. from a worked
    example. (Answers that agree only where they fail, such as min(2 / max(a, b), 1) = 1, are
    not.)"""
    answers = [check.answer for _, check in graded if check.answer is not None]
    if len(answers) < 3 or isinstance(answers[0], tuple):
        return False
    if len({_key(case) for case, check in graded if check.answer is not None}) < 3:
        return False
    return all(np.shape(a) == np.shape(answers[0]) and np.array_equal(a, answers[0]) for a in answers)


def _key(case: Case) -> bytes:
    return b"".join(np.asarray(v, dtype=np.float64).tobytes() for _, v in sorted(case.items()))


def single_precision(failures: Graded) -> bool:
    """Computed in float32: every failing answer's entries are numbers a float32 holds exactly
    (a float64 result almost never is, unless it is as simple as 0, 1 or 0.5)."""
    entries = [
        np.ravel(np.asarray(check.answer, dtype=np.float64))
        for _, check in failures
        if check.answer is not None and not isinstance(check.answer, tuple)
    ]
    values = np.concatenate(entries) if entries else np.zeros(0)
    values = values[np.isfinite(values) & (values != 0)]
    telling = values[values != np.round(values * 1024) / 1024]  # not a short binary fraction
    return telling.size >= 3 and bool(np.all(telling.astype(np.float32).astype(np.float64) == telling))


SINGLE_PRECISION = (
    Mistake.SINGLE_PRECISION,
    "Your answers carry only about 7 significant digits: they were computed in float32 (single "
    "precision), e.g. np.float32 or dtype=np.float32. Use float64, numpy's default.",
)


def errors_only_on_edges(
    exercise: Exercise, checks: list[CaseCheck], edge: tuple[bool, ...]
) -> tuple[str, str] | None:
    """(key, explanation) when the code raised, and only on edge cases: where a dimension is 1,
    that is squeeze, .item() or indexing; elsewhere, the edge named."""
    raised = [e for c, e in zip(checks, edge, strict=False) if c.kind is Verdict.ERROR]
    if not raised or not all(raised) or not any(c.passed for c in checks):
        return None
    if "= 1" in exercise.edge_description or "dimension" in exercise.edge_description:
        return (
            Mistake.SQUEEZED,
            "Your code raises an error only when a dimension is 1: squeeze, .item() or indexing "
            "turns a length-1 axis into a scalar there. Keep every array's shape whatever the sizes.",
        )
    return (
        Mistake.EDGE_ERRORS,
        f"Your code raises an error only on edge cases ({exercise.edge_description}): make it "
        "work there too (an overflow, say, is avoided by rewriting the formula).",
    )


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
