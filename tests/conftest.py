"""Shared fixtures: one Grader (plan built once per test process) and helpers that turn source
text into submissions."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.authoring import validate
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
    return validate.reference_source(SOLUTIONS)


mistake_source = validate.mistake_source
affected = validate.affected


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
