"""Naming a student's likely mistake: a known-wrong variant that reproduces the answers, or a
recognisable shape error. Only answers the student actually returned are used."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grader.judge.checks import CaseCheck, Expected, Verdict, compare
from grader.model.exercise import Answer, Case, Exercise, Misconception
from grader.model.results import Mistake
from grader.plan.cases import as_answer
from grader.run.runner import OutcomeKind

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


class Variants:
    """The catalogued misconceptions' answers on a plan's cases, computed once per plan (on
    first use) with their expected sides (grader/judge/checks.py, Expected), so a student's
    answers are compared with a variant in one vectorised pass: exactly what comparing them
    one case at a time with _reproduces gives."""

    def __init__(self, exercise: Exercise, cases: Sequence[Case]) -> None:
        self.exercise, self.cases = exercise, cases
        self._sides: dict[int, tuple[Expected, dict[int, int]] | None] = {}

    def _side(self, k: int) -> tuple[Expected, dict[int, int]] | None:
        """The variant's expected side over the cases where it gives an answer, and where each
        plan case sits in it; None when the side cannot be built (then case by case)."""
        if k not in self._sides:
            exercise, misconception = self.exercise, self.exercise.misconceptions[k]
            answers, units, positions = [], [], dict[int, int]()
            for index, case in enumerate(self.cases):
                args = [
                    np.array(v, copy=True) if isinstance(v, np.ndarray) else v
                    for v in exercise.call_args(case)
                ]
                try:
                    with np.errstate(all="ignore"):
                        answers.append(as_answer(exercise, misconception.variant(*args)))
                except REPRODUCTION_ERRORS:
                    continue
                units.append(exercise.unit_for(case))
                positions[index] = len(positions)
            try:
                self._sides[k] = (Expected(exercise, answers, units), positions)
            except REPRODUCTION_ERRORS:
                self._sides[k] = None
        return self._sides[k]

    def reproduces(self, k: int, indices: list[int], answers: list[Answer]) -> bool:
        """Whether misconception k's variant equals every answer, given on the plan cases
        `indices` (increasing)."""
        if not indices:
            return True
        side = self._side(k)
        if side is None:
            misconception = self.exercise.misconceptions[k]
            return all(
                _reproduces(self.exercise, misconception, self.cases[i], answer)
                for i, answer in zip(indices, answers, strict=True)
            )
        expected, positions = side
        if any(i not in positions for i in indices):
            return False  # the variant raises there
        try:
            with np.errstate(all="ignore"):
                checks = expected.check(
                    [(OutcomeKind.OK, a) for a in answers], [positions[i] for i in indices]
                )
        except REPRODUCTION_ERRORS:
            return False
        return all(check.passed for check in checks)


def misconception_on_plan(
    exercise: Exercise, variants: Variants, checks: list[CaseCheck], expected: Sequence[Answer]
) -> Misconception | None:
    """matching_misconception for the plan's own cases (failures and passes among `checks`),
    with the variants' answers precomputed."""
    answered = [
        (i, check.answer) for i, check in enumerate(checks) if check.wrong and check.answer is not None
    ]
    if not answered:
        return None
    passes = [(i, expected[i]) for i, check in enumerate(checks) if check.passed][:CONTRADICTIONS_CHECKED]
    for k, misconception in enumerate(exercise.misconceptions):
        if not variants.reproduces(k, [i for i, _ in answered], [a for _, a in answered]):
            continue
        if variants.reproduces(k, [i for i, _ in passes], [a for _, a in passes]):
            return misconception
    return None


REPRODUCTION_ERRORS = (ValueError, TypeError, IndexError, ZeroDivisionError, np.linalg.LinAlgError)


def _reproduces(exercise: Exercise, misconception: Misconception, case: Case, answer: Answer | None) -> bool:
    if answer is None:
        return False
    try:
        with np.errstate(all="ignore"):
            variant = as_answer(exercise, misconception.variant(*exercise.call_args(case)))
        return compare(exercise, variant, answer, exercise.unit_for(case)).passed
    except REPRODUCTION_ERRORS:
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
