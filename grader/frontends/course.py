"""Checks for the nbgrader course (course/): nbgrader's per-exercise scores, read from its
gradebook, must equal `grader grade` on the same notebooks, and nbgrader's generated feedback
must not leak the randomised cases or the expected values.

    python -m grader.frontends.course agree GRADEBOOK.db SUBMITTED_DIR   # exit 1 on a disagreement
    python -m grader.frontends.course leaks FEEDBACK_DIR                 # exit 1 if a case leaks
    python -m grader.frontends.course merge OUT.csv SHARD.csv...         # combine sharded exports
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import numpy as np

from grader import assignments
from grader.core.api import GradingCore
from grader.intake.submissions import discover

TEST_PREFIX = "test-"
Key = tuple[str, str, str]
"""(student, assignment, exercise)."""


def read_gradebook(database: Path) -> dict[Key, float]:
    """Every autograded test cell's score in nbgrader's gradebook, by (student, assignment,
    exercise): read with nbgrader's own API, so `nbgrader export` stays nbgrader's standard one."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{database}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.name.startswith(TEST_PREFIX):
                            key = (submission.student.id, assignment.name, grade.name[len(TEST_PREFIX) :])
                            scores[key] = float(grade.score or 0)
    return scores


def grader_scores(submitted: Path, core: GradingCore | None = None) -> dict[Key, float]:
    core = core or GradingCore()
    scores = {}
    for submission in discover([str(submitted)], assignments.DEFAULT, assignments.ids()):
        for e in core.grade(submission).autograded:
            scores[(submission.student, submission.assignment, e.id)] = e.score
    return scores


def disagreements(nbgrader: dict, cli: dict) -> list[str]:
    problems = []
    for key in sorted(set(nbgrader) | set(cli)):
        a, b = nbgrader.get(key), cli.get(key)
        if a is None or b is None or abs(a - b) > 1e-9:
            problems.append(f"{' '.join(key)}: nbgrader {a}, grader {b}")
    return problems


def secret_numbers(core: GradingCore, assignment_ids: tuple[str, ...]) -> set[str]:
    """Printed forms of the randomised inputs and expected answers that could only come from
    the plan: numbers with at least five significant digits (shrunk cases are 0, 1, 0.5 ...)."""
    numbers = set()
    plans = [plan for i in assignment_ids for plan in core.grader(i).plan.values()]
    for plan in plans:
        values = [v for case in plan.cases for v in case.values()]
        values += [
            a for answer in plan.expected for a in (answer if isinstance(answer, tuple) else (answer,))
        ]
        for value in values:
            for x in np.ravel(np.asarray(value, dtype=float)):
                text = f"{x:.6g}"
                if len(text.lstrip("-").replace(".", "").lstrip("0").split("e")[0]) >= 5:
                    numbers.add(text)
    return numbers


def leaks(feedback_dir: Path, core: GradingCore | None = None) -> list[str]:
    core = core or GradingCore()
    secrets = secret_numbers(core, assignments.ids())
    found = []
    for page in sorted(feedback_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        printed = set(re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", text))
        shown = {f"{float(p):.6g}" for p in printed} & secrets
        if shown or "expected:" in text:
            found.append(f"{page}: shows {sorted(shown)[:5] or 'expected values'}")
    return found


def merge(output: Path, shards: list[Path]) -> None:
    """Shards of `nbgrader export` (one header each) -> one CSV, rows sorted."""
    rows: list[list[str]] = []
    header: list[str] = []
    for shard in shards:
        with shard.open(newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, header)
            rows += list(reader)
    with output.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(sorted(rows))


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "agree":
        problems = disagreements(read_gradebook(Path(args[0])), grader_scores(Path(args[1])))
        print("\n".join(problems) or "nbgrader and grader agree on every student and exercise")
        return 1 if problems else 0
    if command == "leaks":
        found = leaks(Path(args[0]))
        print("\n".join(found) or "no randomised case or expected value appears in the feedback")
        return 1 if found else 0
    if command == "merge":
        merge(Path(args[0]), [Path(a) for a in args[1:]])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
