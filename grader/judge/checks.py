"""Checking one answer against the reference: shapes first, then the tolerance of
grader/numerics/tolerance.py, part by part. Pure functions of numbers: no student code here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from grader.model.exercise import WHOLE, Answer, Exercise, Returns, Units
from grader.numerics.tolerance import ALLOWANCE, RTOL, ExpectedSide
from grader.run.runner import Outcome, OutcomeKind


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    TIMEOUT = "timeout"
    CRASH = "crash"


@dataclass(frozen=True)
class CaseCheck:
    """The verdict on one case."""

    kind: Verdict
    parts_passed: tuple[bool, ...]
    reason: str = ""
    answer: Answer | None = None

    @property
    def passed(self) -> bool:
        return self.kind is Verdict.PASS

    @property
    def wrong(self) -> bool:
        """A wrong answer or a raised error; a timeout or crash is not (and is never replayed)."""
        return self.kind in (Verdict.FAIL, Verdict.ERROR)


def _shape(value) -> tuple[int, ...]:
    return tuple(np.shape(value))


def compare(exercise: Exercise, expected: Answer, actual: Answer, unit: Units = 0.0) -> CaseCheck:
    """Pass when every part has the reference's shape and is within tolerance of it."""
    return Expected(exercise, [expected], [unit]).check([(OutcomeKind.OK, actual)])[0]


def check_outcome(exercise: Exercise, expected: Answer, outcome: Outcome, unit: Units) -> CaseCheck:
    """Turn a sandbox outcome for one case into a verdict."""
    return Expected(exercise, [expected], [unit]).check([outcome])[0]


def check_outcomes(exercise: Exercise, expected, outcomes, units) -> list[CaseCheck]:
    """Verdicts on many cases (see Expected.check)."""
    return Expected(exercise, expected[: len(outcomes)], units[: len(outcomes)]).check(outcomes)


class Expected:
    """The expected side of an exercise's checks on a list of cases, computed once: each part's
    expected arrays, shapes and tolerance terms (grader/numerics/tolerance.py, ExpectedSide).
    A plan holds one per exercise and checks every submission's answers against it."""

    def __init__(self, exercise: Exercise, expected, units) -> None:
        self.exercise = exercise
        self.parts, self.named = exercise.parts, len(exercise.parts) > 1
        self.whole = exercise.returns is not Returns.TUPLE and exercise.parts is WHOLE
        self.answers = tuple(expected)
        tuple_answers = exercise.returns is Returns.TUPLE
        self.shapes = [() if tuple_answers else _shape(want) for want in self.answers]
        allowance = ALLOWANCE if exercise.allowance is None else exercise.allowance
        self.part_shapes: list[list[tuple[int, ...]]] = []
        self.sides: list[ExpectedSide] = []
        for part in self.parts:
            wanted = [part.of(want) for want in self.answers]
            part_units = [part.of(u) if isinstance(u, tuple) or np.ndim(u) else u for u in units]
            self.part_shapes.append([want.shape for want in wanted])
            self.sides.append(ExpectedSide(wanted, part_units, allowance=allowance))

    def __len__(self) -> int:
        return len(self.answers)

    def check(self, outcomes, indices: list[int] | None = None) -> list[CaseCheck]:
        """Verdicts on the outcomes of the cases `indices` (increasing; by default the first
        len(outcomes)): shapes case by case, then each part's tolerance in one vectorised pass,
        which is most of the work."""
        if indices is None:
            if self.whole:
                quick = self._check_plain(outcomes)
                if quick is not None:
                    return quick
            indices = list(range(len(outcomes)))
        parts, named, count = self.parts, self.named, len(self.parts)
        checks: list[CaseCheck | None] = [None] * len(outcomes)
        answered: list[tuple[int, int, Answer]] = []  # (position, case index, answer)
        for position, (index, outcome) in enumerate(zip(indices, outcomes, strict=True)):
            if outcome[0] != OutcomeKind.OK:
                checks[position] = CaseCheck(Verdict(outcome[0]), (False,) * count, outcome[1])
                continue
            actual = outcome[1]
            if not self.whole or type(actual) is not np.ndarray or actual.dtype != np.float64:
                if self.exercise.returns is not Returns.TUPLE and _shape(actual) != self.shapes[index]:
                    reason = f"shape {_shape(actual)}, expected {self.shapes[index]}"
                    checks[position] = CaseCheck(Verdict.FAIL, (False,) * count, reason, actual)
                    continue
            elif actual.shape != self.shapes[index]:
                reason = f"shape {actual.shape}, expected {self.shapes[index]}"
                checks[position] = CaseCheck(Verdict.FAIL, (False,) * count, reason, actual)
                continue
            answered.append((position, index, actual))
        # slots[k][p]: the error of part p of answered case k, or why it was not compared
        slots: list[list[str | float]] = [[] for _ in answered]
        for p, part in enumerate(parts):
            got_arrays, chosen, compared_at = [], [], []
            shapes = self.part_shapes[p]
            for k, (_, index, actual) in enumerate(answered):
                if self.whole and type(actual) is np.ndarray and actual.dtype == np.float64:
                    got = actual  # what part.of would return
                else:
                    got = part.of(actual)
                if got.shape != shapes[index]:
                    slots[k].append(f"{_label(part, named)}shape {got.shape}, expected {shapes[index]}")
                else:
                    slots[k].append(0.0)
                    got_arrays.append(got)
                    chosen.append(index)
                    compared_at.append(k)
            if not got_arrays:
                continue
            every = len(chosen) == len(self.answers)
            actual_entries = np.concatenate(got_arrays, axis=None).astype(np.float64, copy=False)
            errors = self.sides[p].errors(actual_entries, None if every else np.array(chosen, dtype=np.intp))
            for k, error in zip(compared_at, errors.tolist(), strict=True):
                slots[k][p] = error
        for (position, _, actual), row in zip(answered, slots, strict=True):
            checks[position] = _verdict(parts, named, actual, row)
        return [check for check in checks if check is not None]

    def _check_plain(self, outcomes) -> list[CaseCheck] | None:
        """The usual batch in one pass: one part, every case answered with a float64 array of
        the expected shape (None otherwise: then check() goes case by case)."""
        count = len(outcomes)
        answers = [outcome[1] for outcome in outcomes if outcome[0] == OutcomeKind.OK]
        if len(answers) != count or not all(
            type(a) is np.ndarray and a.dtype == np.float64 and a.shape == shape
            for a, shape in zip(answers, self.shapes, strict=False)
        ):
            return None
        if not count:
            return []
        chosen = None if count == len(self.answers) else np.arange(count, dtype=np.intp)
        errors = self.sides[0].errors(np.concatenate(answers, axis=None), chosen).tolist()
        parts, named = self.parts, self.named
        return [
            CaseCheck(Verdict.PASS, (True,), "", actual)
            if error <= RTOL
            else _verdict(parts, named, actual, [error])
            for actual, error in zip(answers, errors, strict=True)
        ]


def _verdict(parts, named: bool, actual: Answer, row: list[str | float]) -> CaseCheck:
    if len(row) == 1 and not isinstance(row[0], str) and row[0] <= RTOL:
        return CaseCheck(Verdict.PASS, (True,), "", actual)
    passed, reasons = [], []
    for part, slot in zip(parts, row, strict=True):
        if isinstance(slot, str):
            passed.append(False)
            reasons.append(slot)
            continue
        error = slot
        passed.append(error <= RTOL)
        if error > RTOL:
            reasons.append(
                f"{_label(part, named)}relative error {error:.3g}, more than the tolerance {RTOL:g}"
            )
    return CaseCheck(Verdict.PASS if all(passed) else Verdict.FAIL, tuple(passed), "; ".join(reasons), actual)


def _label(part, named: bool) -> str:
    return f"{part.label}: " if named else ""
