"""Finding the smallest failing case with Hypothesis's shrinker. The same seed and strategy that
made the plan's cases replay them until one fails, then Hypothesis shrinks it; each probe is
one call into the student's sandbox."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import Phase, given, seed
from hypothesis.errors import HypothesisException

from grader.cases import evaluate, hypothesis_settings
from grader.checks import CaseCheck, check_outcome
from grader.exercise import Case, Exercise
from grader.sandbox import SandboxSession


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

    @seed(assignment_seed)
    @hypothesis_settings(count, [Phase.generate, Phase.shrink])
    @given(exercise.inputs)
    def probe(case: Case) -> None:
        expected = evaluate(exercise, reference, case)
        outcome = session.call(
            exercise.name, [exercise.call_args(case)], exercise.returns, exercise.tuple_length
        )[0]
        check = check_outcome(exercise, expected, outcome, exercise.unit_for(case))
        if check.kind in ("fail", "error"):
            raise _Failure(case, check)

    try:
        probe()
    except _Failure as failure:
        return failure.case, failure.check
    except HypothesisException:
        return None
    return None
