"""Checking one answer against the reference: shapes first, then the tolerance of
grader/tolerance.py, part by part. Pure functions of numbers: no student code here."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.exercise import Answer, Exercise
from grader.tolerance import RTOL, relative_error


@dataclass(frozen=True)
class CaseCheck:
    """The verdict on one case. `kind` is pass, fail, error, timeout or crash."""

    kind: str
    parts_passed: tuple[bool, ...]
    reason: str = ""
    answer: Answer | None = None

    @property
    def passed(self) -> bool:
        return self.kind == "pass"


def _shape(value) -> tuple[int, ...]:
    return tuple(np.shape(value))


def compare(exercise: Exercise, expected: Answer, actual: Answer, unit: float = 0.0) -> CaseCheck:
    """Pass when every part has the reference's shape and is within tolerance of it."""
    whole = None
    if exercise.returns != "tuple" and _shape(actual) != _shape(expected):
        whole = f"shape {_shape(actual)}, expected {_shape(expected)}"
    named = len(exercise.parts) > 1
    passed, reasons = [], []
    for part in exercise.parts:
        if whole:
            passed.append(False)
            continue
        want, got = part.of(expected), part.of(actual)
        prefix = f"{part.label}: " if named else ""
        if want.shape != got.shape:
            passed.append(False)
            reasons.append(f"{prefix}shape {got.shape}, expected {want.shape}")
            continue
        error = relative_error(got, want, unit)
        passed.append(error <= RTOL)
        if error > RTOL:
            reasons.append(f"{prefix}relative error {error:.3g} (tolerance {RTOL:g})")
    kind = "pass" if all(passed) else "fail"
    return CaseCheck(kind, tuple(passed), whole or "; ".join(reasons), actual)


def check_outcome(exercise: Exercise, expected: Answer, outcome: tuple, unit: float) -> CaseCheck:
    """Turn a sandbox outcome for one case into a verdict."""
    kind = outcome[0]
    if kind == "ok":
        return compare(exercise, expected, outcome[1], unit)
    return CaseCheck(kind, (False,) * len(exercise.parts), outcome[1])
