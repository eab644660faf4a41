"""The work behind `grader grade`, kept apart from click so it can be tested and reused."""

from __future__ import annotations

import sys
from pathlib import Path

from grader.batch import grade_all, progress_printer
from grader.pipeline import Grader, Options
from grader.reference import ReferenceNotFound, load_reference
from grader.report import FORMATS
from grader.results import SubmissionResult
from grader.shards import in_shard
from grader.submissions import NoSuchPath, discover
from grader.verify import ReferenceBug


def error(message: str) -> None:
    sys.stderr.write(f"grader: error: {message}\n")


def warn_about_missing_layers() -> None:
    """One warning per run when the sandbox has fewer than all of its layers here."""
    from grader.sandbox.harden import probe

    missing = [layer for layer in probe() if not layer.active]
    if missing:
        names = ", ".join(f"{layer.name} ({layer.detail})" for layer in missing)
        sys.stderr.write(
            f"grader: warning: sandbox layers missing on this machine: {names}. "
            "Run `grader doctor` for what that means.\n"
        )


def run_grade(
    paths: list[str],
    output_format: str,
    output: str | None,
    options: Options,
    jobs: int,
    solutions: Path | None,
    feedback_dir: Path | None = None,
    shard: tuple[int, int] | None = None,
) -> int:
    """Grade everything under `paths`; returns the exit code (0 ok, 1 some input was bad)."""
    found, bad_paths = {}, 0
    for path in paths:
        try:
            found.update({(s.label, s.student): s for s in discover([path])})
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
    try:
        grader = Grader(load_reference(solutions), options)
    except (ReferenceNotFound, ReferenceBug) as exc:
        error(str(exc))
        return 1
    warn_about_missing_layers()
    results: list[SubmissionResult] = []
    show = progress_printer(len(submissions))
    interrupted = False
    try:
        for result in grade_all(grader, submissions, jobs):
            results.append(result)
            show(len(results), result)
            for problem in result.file_errors:
                error(problem)
    except KeyboardInterrupt:
        interrupted = True
        error(f"interrupted: writing the {len(results)} results graded so far")
    if feedback_dir is not None:
        from grader.reports.student_files import write_feedback

        write_feedback(results, feedback_dir, options.cases)
    try:
        text = FORMATS[output_format](results, options.seed, options.cases)
    except ValueError as exc:
        error(str(exc))
        return 1
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if interrupted:
        return 130
    return 1 if bad_paths else 0
