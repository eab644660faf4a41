"""A student's function as a local callable: each call is one round trip to the sandbox.
Used by the self-check (`grader check`) and by the carry-forward analysis."""

from __future__ import annotations

import numpy as np

from grader.exercise import Exercise
from grader.sandbox.session import SandboxSession


class StudentError(Exception):
    """The student's function raised, hung or crashed in the sandbox."""


def proxy(session: SandboxSession, exercise: Exercise):
    def call(*args):
        values = tuple(
            np.asarray(a, dtype=float) if isinstance(a, (list, tuple, np.ndarray)) else a for a in args
        )
        outcome = session.call(exercise.name, [values], exercise.returns, exercise.tuple_length)[0]
        if outcome[0] != "ok":
            raise StudentError(outcome[1])
        answer = outcome[1]
        if isinstance(answer, np.ndarray) and answer.ndim == 0:
            return float(answer)
        return answer

    return call
