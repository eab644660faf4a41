"""The bridge between nbgrader's autograded test cells and the course grader.

A test cell calls `selfcheck.autograde(name)`, which calls `score(name)` here, in the
student's kernel. That kernel never loads the reference: the whole submission folder (the
kernel's working directory) is graded by `python -m grader.frontends.nbgrader_cell FOLDER` in a
separate process, which runs the student's code in the sandbox and prints JSON. The result is
cached per folder content, so a notebook's other test cells, and the other notebook of the
same submission, reuse it. The cell prints the feedback and returns the score, which nbgrader
takes as partial credit; if grading fails the cell raises, which nbgrader scores as zero.

Like every nbgrader test, this runs beside the student's code in their kernel, which could
tamper with it; `grader grade` on the submitted folder is the trusted score, and the course's
CI checks that the two agree (course/check_agreement.py).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from grader import assignments
from grader.core.api import GradingCore
from grader.intake.submissions import Submission, notebooks_in
from grader.plan.cache import cache_dir, cache_key
from grader.plan.cases import DEFAULT_CASES, DEFAULT_SEED
from grader.plan.reference import default_solutions_dir

_RESULTS: dict[str, dict] = {}


def _assignment_of(folder: Path) -> str:
    """nbgrader runs a notebook in its <assignment> folder, whose name is the assignment."""
    return folder.name if folder.name in assignments.ids() else assignments.DEFAULT


def _key(folder: Path) -> str:
    """Folder, student code, and everything the grading depends on (cases, reference), so a
    fixed reference or a new grader never reuses an old result."""
    digest = hashlib.sha256(str(folder.resolve()).encode())
    assignment = assignments.get(_assignment_of(folder))
    digest.update(cache_key(assignment, DEFAULT_SEED, DEFAULT_CASES).encode())
    solutions = default_solutions_dir()
    for path in sorted(solutions.glob("*.py")) if solutions else ():
        digest.update(path.read_bytes())
    for path in sorted(folder.glob("*.ipynb")):
        digest.update(path.name.encode())
        digest.update(_code_of(path).encode())
    return digest.hexdigest()[:32]


def _code_of(path: Path) -> str:
    """The student's code cells only: nbgrader rewrites outputs and test cells as it goes."""
    from grader.intake.notebooks import UnreadableSubmission, read_unit

    try:
        return "\n#-cell-\n".join(read_unit(path).cells)
    except UnreadableSubmission as exc:
        return str(exc)


def results_for(folder: Path) -> dict:
    key = _key(folder)
    if key in _RESULTS:
        return _RESULTS[key]
    stored = cache_dir() / "nbgrader" / f"{key}.json"
    try:
        _RESULTS[key] = json.loads(stored.read_text(encoding="utf-8"))
        return _RESULTS[key]
    except (OSError, ValueError):
        pass
    done = subprocess.run(
        [sys.executable, "-m", "grader.frontends.nbgrader_cell", str(folder)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the course grader failed on {folder}: {done.stderr.strip()[-2000:]}")
    _RESULTS[key] = json.loads(done.stdout)
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(done.stdout, encoding="utf-8")
    except OSError:
        pass
    return _RESULTS[key]


def score(name: str) -> float:
    """Print the grader's feedback on `name` for the notebook folder in use; return the score."""
    entry = results_for(Path.cwd())[name]
    print(f"{name}: {entry['score']:g} / {entry['max_score']:g} ({entry['status']})")
    print(entry["feedback"])
    return float(entry["score"])


def grade_folder(folder: Path) -> dict:
    """Every exercise of the submission in `folder` (all its notebooks), as SPEC entries by id."""
    submission = Submission(
        str(folder), folder.parent.name, _assignment_of(folder), folder, notebooks_in(folder)
    )
    return {e.id: e.to_json() for e in GradingCore().grade(submission).exercises}


if __name__ == "__main__":
    print(json.dumps(grade_folder(Path(sys.argv[1]))))
