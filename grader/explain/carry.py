"""Error carried forward: a chained function rebuilt from the student's *own* earlier functions
(the assignment's chains). A wrong chained answer that equals this rebuild is wrong only because
an earlier answer is wrong; the feedback says so, and `--carry-forward` gives it the marks.

The rebuild never calls the student's code again: every earlier answer it needs is one the
student already gave in a graded batch (the plan supplies those inputs as graded cases, see
grader/model/assignment.py, Supply). An input that the student's own wrong output changed is
answered by the reference only when the function it goes to passed every case; otherwise the
rebuild cannot be decided and nothing is carried. Answers that are consistent only because they
are zero, or the same for every input, are never credited."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from grader.judge.checks import CaseCheck, compare
from grader.model.assignment import Assignment
from grader.model.exercise import Answer, Case, Exercise
from grader.plan.cases import as_answer, evaluate

ARGUMENT_RTOL = 1e-10
"""How close an input must be to a graded one for the student's answer there to stand for it:
far below any difference that a correct function's output would show."""


class Undecidable(Exception):
    """The rebuild needs an answer the student never gave on a graded case."""


class Answers:
    """The student's answers in the graded batches, looked up by input."""

    def __init__(
        self,
        assignment: Assignment,
        cases: Mapping[str, tuple[Case, ...]],
        checks: Mapping[str, list[CaseCheck]],
        passed: set[str],
        reference: Mapping[str, Callable],
    ) -> None:
        self.assignment, self.cases, self.checks = assignment, cases, checks
        self.passed, self.reference = passed, reference

    def function(self, name: str) -> Callable:
        return lambda *args: self.answer(name, args)

    def answer(self, name: str, args: tuple):
        exercise = self.assignment.by_name[name]
        wanted = dict(zip(exercise.args, args, strict=True))
        graded = self.checks.get(name, [])
        for case, check in zip(self.cases.get(name, ()), graded, strict=False):
            if _close(case, wanted):
                if check.answer is None:
                    raise Undecidable(f"{name} gave no answer there")
                return _plain(check.answer)
        if name in self.passed:  # right on every graded case: taken to be right here too
            return _plain(evaluate(exercise, self.reference[name], wanted))
        raise Undecidable(f"{name} was never graded on that input")


def _close(case: Case, wanted: Case) -> bool:
    for key, value in wanted.items():
        have, want = np.asarray(case[key], dtype=np.float64), np.asarray(value, dtype=np.float64)
        if have.shape != want.shape:
            return False
        scale = float(np.max(np.abs(have) + np.abs(want), initial=0.0))
        if not np.all(np.abs(have - want) <= ARGUMENT_RTOL * scale):
            return False
    return True


def _plain(answer: Answer):
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        return float(answer)
    return answer


def consistent_with_own_functions(
    exercise: Exercise, failures: list[tuple[Case, CaseCheck]], answers: Answers, limit: int = 10
) -> bool:
    """Whether every failing answer (up to `limit`) equals the chain of the student's own
    earlier answers (`exercise.calls`) on the same case, and is not merely zero or constant."""
    chain = answers.assignment.chains.get(exercise.name)
    if chain is None or not failures:
        return False
    given = [check.answer for _, check in failures[:limit]]
    if any(answer is None for answer in given) or _trivial(given):
        return False
    functions = {name: answers.function(name) for name in exercise.calls}
    for case, check in failures[:limit]:
        assert check.answer is not None
        try:
            with np.errstate(all="ignore"):
                rebuilt: Answer = as_answer(exercise, chain(case, functions))
        except (Undecidable, ValueError, TypeError, IndexError, np.linalg.LinAlgError):
            return False
        if not compare(exercise, rebuilt, check.answer, exercise.unit_for(case)).passed:
            return False
    return True


def _trivial(answers: list) -> bool:
    """All zero, or all the same: consistent with anything downstream of zeros or constants."""
    arrays = [
        np.concatenate([np.ravel(a) for a in answer]) if isinstance(answer, tuple) else np.ravel(answer)
        for answer in answers
    ]
    if all(not np.any(a) for a in arrays):
        return True
    return len(arrays) > 1 and all(
        a.shape == arrays[0].shape and np.array_equal(a, arrays[0]) for a in arrays
    )
