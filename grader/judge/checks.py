"""Checking one answer against the reference: shapes first, then the tolerance of
grader/numerics/tolerance.py, part by part. Pure functions of numbers: no student code here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from grader.model.exercise import Answer, Exercise, Returns, Units
from grader.numerics.tolerance import ALLOWANCE, RTOL, relative_errors
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
    return check_outcomes(exercise, [expected], [(OutcomeKind.OK, actual)], [unit])[0]


def check_outcome(exercise: Exercise, expected: Answer, outcome: Outcome, unit: Units) -> CaseCheck:
    """Turn a sandbox outcome for one case into a verdict."""
    return check_outcomes(exercise, [expected], [outcome], [unit])[0]


def check_outcomes(exercise: Exercise, expected, outcomes, units) -> list[CaseCheck]:
    """Verdicts on many cases: shapes case by case, then every tolerance in one vectorised
    pass (grader/tolerance.py's relative_errors), which is most of the work."""
    parts, named = exercise.parts, len(exercise.parts) > 1
    compared: list[tuple[np.ndarray, np.ndarray]] = []
    compared_units: list = []
    pending: list[tuple[Answer, list[str | int]] | None] = []
    """Per case: None for a finished verdict, else (answer, [reason or index of its error])."""
    checks: list[CaseCheck | None] = []
    for want_whole, outcome, unit in zip(expected, outcomes, units, strict=True):
        if outcome[0] != OutcomeKind.OK:
            checks.append(CaseCheck(Verdict(outcome[0]), (False,) * len(parts), outcome[1]))
            pending.append(None)
            continue
        actual = outcome[1]
        if exercise.returns is not Returns.TUPLE and _shape(actual) != _shape(want_whole):
            reason = f"shape {_shape(actual)}, expected {_shape(want_whole)}"
            checks.append(CaseCheck(Verdict.FAIL, (False,) * len(parts), reason, actual))
            pending.append(None)
            continue
        slots: list[str | int] = []
        for part in parts:
            want, got = part.of(want_whole), part.of(actual)
            if want.shape != got.shape:
                slots.append(f"{_label(part, named)}shape {got.shape}, expected {want.shape}")
            else:
                slots.append(len(compared))
                compared.append((got, want))
                compared_units.append(part.of(unit) if isinstance(unit, tuple) or np.ndim(unit) else unit)
        checks.append(None)
        pending.append((actual, slots))
    allowance = ALLOWANCE if exercise.allowance is None else exercise.allowance
    errors = relative_errors(compared, compared_units, allowance=allowance) if compared else np.zeros(0)
    for index, waiting in enumerate(pending):
        if waiting is not None:
            checks[index] = _verdict(parts, named, waiting[0], waiting[1], errors)
    return [check for check in checks if check is not None]


def _verdict(parts, named: bool, actual: Answer, slots: list, errors) -> CaseCheck:
    passed, reasons = [], []
    for part, slot in zip(parts, slots, strict=True):
        if isinstance(slot, str):
            passed.append(False)
            reasons.append(slot)
            continue
        error = float(errors[slot])
        passed.append(error <= RTOL)
        if error > RTOL:
            reasons.append(
                f"{_label(part, named)}relative error {error:.3g}, more than the tolerance {RTOL:g}"
            )
    return CaseCheck(Verdict.PASS if all(passed) else Verdict.FAIL, tuple(passed), "; ".join(reasons), actual)


def _label(part, named: bool) -> str:
    return f"{part.label}: " if named else ""
