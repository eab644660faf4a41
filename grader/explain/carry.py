"""Error carried forward: a chained function rebuilt from the student's *own* earlier functions
(the assignment's chains). A wrong chained answer that equals this rebuild is wrong only because
an earlier answer is wrong; the feedback says so, and `--carry-forward` gives it the marks."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from grader.judge.checks import CaseCheck, compare
from grader.model.assignment import Assignment
from grader.model.exercise import Answer, Case, Exercise
from grader.plan.cases import as_answer
from grader.run.proxy import StudentError, proxy
from grader.run.runner import Runner


def consistent_with_own_functions(
    assignment: Assignment,
    exercise: Exercise,
    failures: list[tuple[Case, CaseCheck]],
    runner: Runner,
    limit: int = 10,
) -> bool:
    """Whether every failing answer (up to `limit`) equals the chain of the student's own
    earlier functions (`exercise.calls`) on the same case."""
    chain = assignment.chains.get(exercise.name)
    if chain is None or not failures:
        return False
    functions: Mapping = {name: proxy(runner, assignment.by_name[name]) for name in exercise.calls}
    for case, check in failures[:limit]:
        if check.answer is None:
            return False
        try:
            with np.errstate(all="ignore"):
                rebuilt: Answer = as_answer(exercise, chain(case, functions))
        except (StudentError, ValueError, TypeError, IndexError):
            return False
        if not compare(exercise, rebuilt, check.answer, exercise.unit_for(case)).passed:
            return False
    return True
