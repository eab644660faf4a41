"""Grading many submissions, in order, optionally on several cores. Workers are forks of the
grader made *before* any student code runs (they inherit the plan, never a student's state);
each student's code still runs in its own fresh sandbox process, started one submission ahead
(grader/sandbox/spares.py)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from grader.pipeline import Grader
from grader.results import SubmissionResult, unreadable
from grader.sandbox.spares import SpareWorkers
from grader.submissions import Submission

_GRADER: Grader | None = None
_SPARES: SpareWorkers | None = None


def _grade_in_worker(submission: Submission) -> SubmissionResult:
    global _SPARES
    assert _GRADER is not None
    if _SPARES is None:  # first submission in this worker process
        _SPARES = SpareWorkers()
        multiprocessing.util.Finalize(_SPARES, _SPARES.close, exitpriority=10)
    return _safe_grade(_GRADER, submission, _SPARES)


def _safe_grade(grader: Grader, submission: Submission, spares: SpareWorkers | None) -> SubmissionResult:
    """A bug of ours on one submission must not lose the others: it becomes an error result."""
    try:
        return grader.grade(submission, spares)
    except Exception as exc:  # noqa: BLE001
        reason = f"internal grader error on {submission.label}: {type(exc).__name__}: {exc}"
        return unreadable(submission.label, submission.student, reason)


def grade_all(grader: Grader, submissions: list[Submission], jobs: int = 1) -> Iterator[SubmissionResult]:
    """Results in the order of `submissions`, as soon as each is ready."""
    global _GRADER
    if jobs <= 1 or len(submissions) <= 1:
        spares = SpareWorkers() if len(submissions) > 1 else None
        try:
            for submission in submissions:
                yield _safe_grade(grader, submission, spares)
        finally:
            if spares is not None:
                spares.close()
        return
    _GRADER = grader
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(_grade_in_worker, submissions)


def progress_printer(total: int) -> Callable[[int, SubmissionResult], None]:
    """A progress bar with an estimated time left, on stderr when it is a terminal; silent
    otherwise (logs, CI, pipes), so it never mixes with results."""
    if not sys.stderr.isatty():
        return lambda done, result: None
    started = time.monotonic()

    def show(done: int, result: SubmissionResult) -> None:
        elapsed = time.monotonic() - started
        left = elapsed / done * (total - done)
        width = 24
        filled = round(width * done / total)
        bar = "#" * filled + "." * (width - filled)
        eta = f"{int(left // 60)}m{int(left % 60):02d}s left" if done < total else f"done in {elapsed:.0f}s"
        sys.stderr.write(
            f"\r[{bar}] {done}/{total} {eta}  {result.student}: {result.score:g}/{result.max_score:g}\033[K"
        )
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
