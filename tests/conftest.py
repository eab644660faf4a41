"""Shared fixtures: one Grader (plan built once per test process) and helpers that turn source
text into submissions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.pipeline import Grader
from grader.reference import load_reference
from grader.results import SubmissionResult
from grader.submissions import discover

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "tests" / "submissions"
ASSIGNMENTS = ROOT / "assignments"
SOLUTIONS = ROOT / "solutions"


@pytest.fixture(scope="session")
def grader() -> Grader:
    return Grader(load_reference(SOLUTIONS))


def reference_source() -> str:
    """The reference as one self-contained student file (the sandbox cannot import solutions/)."""
    sources = [(SOLUTIONS / f"{name}.py").read_text() for name in ("backprop", "gradient_descent")]
    return "\n\n".join(s.replace("from __future__ import annotations", "") for s in sources)


def mistake_source(path: Path) -> str:
    """The base solution with the mistake's redefinitions appended, as a student would."""
    return (SUBMISSIONS / "base.py").read_text() + "\n\n# --- redefined later ---\n" + path.read_text()


def affected(path: Path) -> set[str]:
    match = re.search(r"^affects:(.*)$", path.read_text(), re.MULTILINE)
    assert match, f"{path} lists no affected functions"
    return set(match.group(1).split())


@pytest.fixture
def grade_source(grader, tmp_path):
    """Grade source text written to a .py file named after `name`."""

    def grade(source: str, name: str = "student") -> SubmissionResult:
        path = tmp_path / f"{name}.py"
        path.write_text(source)
        [submission] = discover([str(path)])
        return grader.grade(submission)

    return grade


def by_id(result: SubmissionResult) -> dict:
    return {e.id: e for e in result.exercises}
