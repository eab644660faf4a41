"""The work behind `grader grade`, kept apart from click so it can be tested and reused: the
library core does the grading; this module prints, writes files and chooses the exit code."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from grader import assignments
from grader.assignments import UnknownAssignment
from grader.core.api import GradingCore
from grader.core.batch import grade_all
from grader.core.options import Options
from grader.core.shards import in_shard
from grader.intake.submissions import NoSuchPath, discover
from grader.judge.verify import ReferenceBug
from grader.model.results import SubmissionResult
from grader.plan.reference import ReferenceNotFound
from grader.report.formats import FORMATS
from grader.report.safe import terminal


def error(message: str) -> None:
    sys.stderr.write(f"grader: error: {message}\n")


def warn_about_missing_layers() -> None:
    """One warning per run when the sandbox has fewer than all of its layers here."""
    from grader.run.sandbox.doctor import probe

    missing = [layer for layer in probe() if not layer.active]
    if missing:
        names = ", ".join(f"{layer.name} ({layer.detail})" for layer in missing)
        sys.stderr.write(
            f"grader: warning: sandbox layers missing on this machine: {names}. "
            "Run `grader doctor` for what that means.\n"
        )


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
            f"\r[{bar}] {done}/{total} {eta}  {terminal(result.student)}: "
            f"{result.score:g}/{result.max_score:g}\033[K"
        )
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def run_grade(
    paths: list[str],
    output_format: str,
    output: str | None,
    options: Options,
    jobs: int,
    solutions: Path | None,
    feedback_dir: Path | None = None,
    shard: tuple[int, int] | None = None,
    assignment: str = assignments.DEFAULT,
) -> int:
    """Grade everything under `paths`; returns the exit code (0 ok, 1 some input was bad)."""
    found, bad_paths = {}, 0
    for path in paths:
        try:
            found.update({(s.label, s.student): s for s in discover([path], assignment, assignments.ids())})
        except NoSuchPath as exc:
            error(str(exc))
            bad_paths += 1
    submissions = [found[key] for key in sorted(found)]
    if shard is not None:
        submissions = [s for s in submissions if in_shard(s, *shard)]
        if not submissions and found:
            sys.stderr.write(
                f"grader: shard {shard[0]}/{shard[1]} holds none of the {len(found)} submissions\n"
            )
    if not found:
        error("no .ipynb or .py submissions found under " + ", ".join(paths))
        return 1
    core = GradingCore(options, solutions)
    try:
        for assignment_id in sorted({s.assignment for s in submissions}):
            core.grader(assignment_id)
    except (UnknownAssignment, ReferenceNotFound, ReferenceBug) as exc:
        error(str(exc))
        return 1
    warn_about_missing_layers()
    results: list[SubmissionResult] = []
    show = progress_printer(len(submissions))
    interrupted = False
    try:
        for result in grade_all(core, submissions, jobs):
            results.append(result)
            show(len(results), result)
            for problem in result.file_errors:
                error(problem)
    except KeyboardInterrupt:
        interrupted = True
        error(f"interrupted: writing the {len(results)} results graded so far")
    try:
        text = FORMATS[output_format](results, options.seed, options.cases)
    except ValueError as exc:
        error(str(exc))
        return 1
    failed: list[str] = []
    if output:
        try:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:  # the results are never lost: they go to stdout instead
            error(f"cannot write {output} ({exc.strerror}): the results follow on standard output")
            failed.append(output)
            sys.stdout.write(text)
    else:
        sys.stdout.write(text)
    if feedback_dir is not None:  # after the results: a failed page never loses them
        from grader.report.student_files import write_feedback

        _, failed = write_feedback(results, feedback_dir, options.cases)
        for problem in failed:
            error(f"feedback not written: {problem}")
    if interrupted:
        return 130
    return 1 if bad_paths or failed else 0
