"""Shared fixtures: one GradingCore (plans built once per test process) and helpers that turn
source text into submissions."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import assignments
from grader.authoring import validate
from grader.core.api import GradingCore
from grader.core.grade import Grader
from grader.intake.submissions import discover
from grader.model.results import SubmissionResult

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "tests" / "submissions"
SUBMISSIONS = LIBRARY / "hw1"
"""hw1's library: base.py (a correct solution), correct/ (more styles) and mistakes/."""
ATTACKS = LIBRARY / "attacks"
RELEASED = ROOT / "assignments"
ASSIGNMENTS = RELEASED / "hw1"
"""hw1's released notebooks."""
SOLUTIONS = ROOT / "solutions"
HW1 = assignments.get("hw1")


@pytest.fixture(scope="session")
def core() -> GradingCore:
    return GradingCore(solutions=SOLUTIONS)


@pytest.fixture(scope="session")
def grader(core) -> Grader:
    """hw1's grader."""
    return core.grader("hw1")


def reference_source(assignment_id: str = "hw1") -> str:
    return validate.reference_source(assignments.get(assignment_id), SOLUTIONS)


mistake_source = validate.mistake_source
affected = validate.affected


def find(path: Path | str, assignment: str = "hw1"):
    """The submissions under `path`, as `grader grade` finds them."""
    return discover([str(path)], assignment, assignments.ids())


@pytest.fixture
def grade_source(core, tmp_path):
    """Grade source text written to a .py file named after `name`."""

    def grade(source: str, name: str = "student", assignment: str = "hw1") -> SubmissionResult:
        path = tmp_path / f"{name}.py"
        path.write_text(source)
        [submission] = find(path, assignment)
        return core.grade(submission)

    return grade


def by_id(result: SubmissionResult) -> dict:
    return {e.id: e for e in result.exercises}


@pytest.fixture(scope="session")
def postgres():
    """A scratch PostgreSQL cluster (scripts/postgres.sh), started on first use, stopped at the end."""
    from servicekit import Postgres

    cluster = Postgres()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A fresh database for one module's service: the embedded default, then PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db')}/service.sqlite"
    return request.getfixturevalue("postgres").fresh_database()
