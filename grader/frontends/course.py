"""Checks for the nbgrader course (course/). nbgrader's kernels run the students' code
unconfined, as the instructor's user, so nothing they can write is trusted: the submissions are
copied and their digest taken *before* `nbgrader autograde`, and the trusted grade is
`grader grade` on that copy, after its digest is checked again (a kernel that wrote to it is
caught), with cases generated afresh (never from a cache a kernel could have written).

    python -m grader.frontends.course digest SUBMITTED_DIR                     # print the digest
    python -m grader.frontends.course agree GRADEBOOK.db PRISTINE_DIR DIGEST   # exit 1 on a difference
    python -m grader.frontends.course leaks FEEDBACK_DIR [SOLUTIONS_DIR]       # exit 1 on a leak
    python -m grader.frontends.course merge OUT.csv SHARD.csv...               # combine exports
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import os
import re
import sys
from pathlib import Path

import numpy as np

from grader import assignments
from grader.core.api import GradingCore
from grader.core.options import Options
from grader.intake.submissions import discover
from grader.report.safe import csv_field

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


SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|KEY|CREDENTIAL|^GRADER_", re.IGNORECASE)
REFERENCE_LINES = 3
"""Distinct private lines of the reference that make a page a leak (one may be a coincidence)."""


def reference_lines(solutions: Path | None, public: str) -> set[str]:
    """The reference's substantial lines that appear nowhere in what students are given."""
    lines: set[str] = set()
    for path in sorted(solutions.glob("*.py")) if solutions else ():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if len(line.strip()) >= 24 and line.strip() not in public:
                lines.add(line.strip())
    return lines


def secret_texts(solutions: Path | None, environ: dict[str, str]) -> dict[str, str]:
    """Text no feedback may hold, by what it gives away: the reference base64-encoded (40
    characters at any of its three alignments) and the values of environment variables named
    like secrets."""
    texts: dict[str, str] = {}
    for path in sorted(solutions.glob("*.py")) if solutions else ():
        source = path.read_bytes()
        for shift in range(3):
            encoded = base64.b64encode(source[shift:]).decode()
            for start in range(4, len(encoded) - 40, 200):
                texts[encoded[start : start + 40]] = f"the reference {path.name}, base64-encoded"
    for name, value in environ.items():
        if SECRET_NAME.search(name) and len(value) >= 8:
            texts[value] = f"the value of ${name}"
    return texts


def _public_text() -> str:
    """Everything students are given: the released notebooks and self-checks."""
    released = Path(__file__).resolve().parent.parent.parent / "assignments"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(released.rglob("*.*")))


SHOWN_ON_PURPOSE = re.compile(
    r"^.*(?:Smallest failing case \(shrunk by Hypothesis\)|your answer):.*$", re.MULTILINE
)
"""Lines of feedback that show a number on purpose: a shrunk case (Hypothesis's shrinker may
land on a case the plan also drew, such as b = 10**0.001) and the student's own answer to it."""


def _numbers(text: str) -> set[str]:
    return {f"{float(p):.6g}" for p in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", text)}


def leaks(
    feedback_dir: Path,
    core: GradingCore | None = None,
    solutions: Path | None = None,
    environ: dict[str, str] | None = None,
) -> list[str]:
    """Pages of generated feedback that show a randomised case or an expected value, the
    reference's source (its lines, or base64), or a secret from the environment. Code cells are
    highlighted token by token in nbgrader's pages, so a student's own code that happens to
    match a line of the reference is not taken for a leak; printed output is plain text. Numbers
    are looked for after the page's `</head>`: the head is nbconvert's template (its stylesheet
    has widths such as 33.33333333%), and kernel output can only land in the body."""
    core = core or GradingCore()
    secrets = secret_numbers(core, assignments.ids())
    texts = secret_texts(solutions, dict(os.environ) if environ is None else environ)
    lines = reference_lines(solutions, _public_text())
    found = []
    for page in sorted(feedback_dir.rglob("*.html")):
        raw = page.read_text(encoding="utf-8", errors="replace")
        text = html.unescape(raw)
        body = html.unescape(raw.split("</head>", 1)[-1])
        shown = (_numbers(body) & secrets) - _numbers("\n".join(SHOWN_ON_PURPOSE.findall(body)))
        if shown or "expected:" in text:
            found.append(f"{page}: shows {sorted(shown)[:5] or 'expected values'}")
        given = sorted({why for secret, why in texts.items() if secret in text})
        copied = [line for line in lines if line in text]
        if len(copied) >= REFERENCE_LINES:
            given.append(f"{len(copied)} lines of the reference")
        if given:
            found.append(f"{page}: shows {', '.join(given[:3])}")
    return found


def digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes under `folder` (links are refused by
    the intake anyway; here they count by their target's name)."""
    hashed = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        hashed.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        hashed.update(os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
        hashed.update(b"\0")
    return hashed.hexdigest()


def agree(gradebook: Path, pristine: Path, expected_digest: str) -> list[str]:
    """Every difference between nbgrader's gradebook and the trusted grade of the copy of the
    submissions taken before nbgrader ran, or why that copy cannot be trusted."""
    if digest(pristine) != expected_digest:
        return [
            f"{pristine}: the copy of the submissions changed while nbgrader ran (a kernel wrote "
            "to it); nothing graded from it can be trusted"
        ]
    trusted = GradingCore(Options(use_cache=False))
    return disagreements(read_gradebook(gradebook), grader_scores(pristine, trusted))


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
        writer.writerow([csv_field(cell) for cell in header])
        writer.writerows(sorted([csv_field(cell) for cell in row] for row in rows))


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "digest":
        print(digest(Path(args[0])))
        return 0
    if command == "agree":
        problems = agree(Path(args[0]), Path(args[1]), args[2])
        print("\n".join(problems) or "nbgrader and grader agree on every student and exercise")
        return 1 if problems else 0
    if command == "leaks":
        found = leaks(Path(args[0]), solutions=Path(args[1]) if len(args) > 1 else None)
        print("\n".join(found) or "no randomised case or expected value appears in the feedback")
        return 1 if found else 0
    if command == "merge":
        merge(Path(args[0]), [Path(a) for a in args[1:]])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
