"""Finding the smallest failing case with Hypothesis's shrinker. The same seed and strategy that
made the plan's cases replay them until one fails, then Hypothesis shrinks it; each probe is
one call into the student's sandbox."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from hypothesis import Phase, given, seed
from hypothesis.errors import HypothesisException
from hypothesis.internal.conjecture import engine as _engine

from grader.cases import evaluate, hypothesis_settings
from grader.checks import CaseCheck, check_outcome
from grader.exercise import Case, Exercise
from grader.sandbox import SandboxSession

SHRINK_BUDGET = 150
"""Sandbox calls one shrink may make. Past it, every candidate reports the smallest failure
found so far, and Hypothesis stops after MAX_SHRINKS accepted steps: a deterministic budget
(a count, never a clock), so the same submission always gets the same smallest case."""
MAX_SHRINKS = 80


@contextlib.contextmanager
def _shrink_limit():
    """Hypothesis caps successful shrinks at engine.MAX_SHRINKS (500); ours is lower."""
    saved = getattr(_engine, "MAX_SHRINKS", None)
    _engine.MAX_SHRINKS = MAX_SHRINKS
    try:
        yield
    finally:
        if saved is not None:
            _engine.MAX_SHRINKS = saved


class _Failure(Exception):
    def __init__(self, case: Case, check: CaseCheck) -> None:
        super().__init__("failing case")
        self.case, self.check = case, check


def smallest_failure(
    exercise: Exercise, reference: Callable, session: SandboxSession, assignment_seed: int, count: int
) -> tuple[Case, CaseCheck] | None:
    """The shrunk failing case and its verdict, or None if no wrong answer shows up again.

    Only wrong answers and raised errors are shrunk: a probe that times out or crashes counts
    as passing, so a hang is never replayed hundreds of times."""

    calls = 0
    best: list[tuple[Case, CaseCheck]] = []

    @seed(assignment_seed)
    @hypothesis_settings(count, [Phase.generate, Phase.shrink])
    @given(exercise.inputs)
    def probe(case: Case) -> None:
        nonlocal calls
        if calls >= SHRINK_BUDGET:
            raise _Failure(*best[-1])
        calls += 1
        expected = evaluate(exercise, reference, case)
        outcome = session.call(
            exercise.name, [exercise.call_args(case)], exercise.returns, exercise.tuple_length
        )[0]
        check = check_outcome(exercise, expected, outcome, exercise.unit_for(case))
        if check.kind in ("fail", "error"):
            best.append((case, check))
            raise _Failure(case, check)

    try:
        with _shrink_limit():
            probe()
    except _Failure as failure:
        return failure.case, failure.check
    except HypothesisException:
        return None
    return None
