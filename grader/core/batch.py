"""Grading many submissions, in order, optionally on several cores. Workers are forks of the
grader made *before* any student code runs (they inherit the plans, never a student's state);
each student's code still runs in its own fresh sandbox process, started one submission ahead
(grader/run/sandbox/spares.py)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from grader.core.api import GradingCore
from grader.intake.submissions import Submission
from grader.model.results import SubmissionResult, unreadable
from grader.run.sandbox import SandboxRunners
from grader.run.sandbox.spares import SpareWorkers


class _Worker:
    """The state of one forked worker process: the core it inherited and its spares."""

    core: GradingCore | None = None
    runners: SandboxRunners | None = None


def _start_worker(core: GradingCore) -> None:
    _Worker.core = core  # inherited through fork, never pickled


def _grade_in_worker(submission: Submission) -> SubmissionResult:
    assert _Worker.core is not None
    if _Worker.runners is None:  # first submission in this worker process
        spares = SpareWorkers()
        multiprocessing.util.Finalize(spares, spares.close, exitpriority=10)
        _Worker.runners = SandboxRunners(_Worker.core.options.limits, spares)
    return safe_grade(_Worker.core, submission, _Worker.runners)


def safe_grade(core: GradingCore, submission: Submission, runners: SandboxRunners | None) -> SubmissionResult:
    """A bug of ours on one submission must not lose the others: it becomes an error result."""
    grader = core.grader(submission.assignment)
    try:
        return grader.grade(submission, runners)
    except Exception as exc:  # noqa: BLE001
        reason = f"internal grader error on {submission.label}: {type(exc).__name__}: {exc}"
        return unreadable(grader.assignment, submission.label, submission.student, reason, grader.provenance)


def grade_all(core: GradingCore, submissions: list[Submission], jobs: int = 1) -> Iterator[SubmissionResult]:
    """Results in the order of `submissions`, as soon as each is ready. The graders of every
    assignment in the batch must be built (core.grader) before this is called."""
    if jobs <= 1 or len(submissions) <= 1:
        spares = SpareWorkers() if len(submissions) > 1 else None
        runners = SandboxRunners(core.options.limits, spares)
        try:
            for submission in submissions:
                yield safe_grade(core, submission, runners)
        finally:
            if spares is not None:
                spares.close()
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(core,)
    ) as pool:
        yield from pool.map(_grade_in_worker, submissions)
