"""The partial-credit rule, one for every exercise (documented in README):

- An answer is scored part by part (one part for most functions; z, h, y_hat for forward;
  the lower and the upper bound, 25 % and 75 %, for the step-size ranges).
- A part earns its full share when it is right on every case; EDGE_CREDIT of its share when it
  is right on every ordinary case but wrong on some edge case (a dimension equal to 1, or
  |z| > 30 for sigma); nothing otherwise.
- A case that raised, timed out or was never reached counts as wrong.
"""

from __future__ import annotations

from grader.judge.checks import CaseCheck, Verdict
from grader.model.exercise import Exercise
from grader.model.results import Status

EDGE_CREDIT = 0.5


def part_credit(index: int, checks: list[CaseCheck], edge: tuple[bool, ...]) -> float:
    ordinary = [c.parts_passed[index] for c, e in zip(checks, edge, strict=False) if not e]
    if len(checks) == len(edge) and all(c.parts_passed[index] for c in checks):
        return 1.0
    ran_everything = len(checks) == len(edge)
    if ran_everything and any(edge) and ordinary and all(ordinary):
        return EDGE_CREDIT
    return 0.0


def score(exercise: Exercise, checks: list[CaseCheck], edge: tuple[bool, ...]) -> float:
    credit = sum(part.share * part_credit(i, checks, edge) for i, part in enumerate(exercise.parts))
    return round(exercise.points * credit, 3)


def status(exercise: Exercise, points: float, checks: list[CaseCheck]) -> Status:
    if points >= exercise.points:
        return Status.PASSED
    if points > 0:
        return Status.PARTIAL
    kinds = {c.kind for c in checks}
    if Verdict.TIMEOUT in kinds:
        return Status.TIMEOUT
    if kinds & {Verdict.ERROR, Verdict.CRASH} and Verdict.FAIL not in kinds:
        return Status.ERROR
    return Status.FAILED
