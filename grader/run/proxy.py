"""A student's function as a local callable: each call is one round trip to its runner. Used by
the self-check (`grader check`), which runs the solution-free checks on a student's file."""

from __future__ import annotations

import numpy as np

from grader.model.exercise import Exercise
from grader.run.runner import Call, OutcomeKind, Runner


class StudentError(Exception):
    """The student's function raised, hung or crashed in the sandbox. `student_text` says so in
    the student's terms (the self-check prints it instead of this class's name)."""

    def __init__(self, name: str, kind: str, message: str) -> None:
        super().__init__(message)
        self.student_text = f"your {name} raised {message}" if kind == OutcomeKind.ERROR else message


def proxy(runner: Runner, exercise: Exercise):
    def call(*args):
        values = tuple(
            np.asarray(a, dtype=float) if isinstance(a, (list, tuple, np.ndarray)) else a for a in args
        )
        outcome = runner.ask(Call.of(exercise), [values])[0]
        if outcome[0] != OutcomeKind.OK:
            raise StudentError(exercise.name, outcome[0], outcome[1])
        answer = outcome[1]
        if isinstance(answer, np.ndarray) and answer.ndim == 0:
            return float(answer)
        return answer

    return call
