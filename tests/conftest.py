"""Shared fixtures: one GradingCore (plans built once per test process) and helpers that turn
source text into submissions."""

from __future__ import annotations

import os
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


DATABASES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """`database_url` runs a test on every database, or on SQLite alone when the test is marked
    `one_database` (it would give the same answer on PostgreSQL: the PostgreSQL side keeps the
    tests that differ between databases, and every concurrency, lease, transaction and migration
    test)."""
    if "database_url" in metafunc.fixturenames:
        one = metafunc.definition.get_closest_marker("one_database") is not None
        metafunc.parametrize(
            "database_url", DATABASES[:1] if one else DATABASES, indirect=True, scope="module"
        )


@pytest.fixture(scope="module")
def database_url(request, tmp_path_factory) -> str:
    """A fresh database for one module's service: the embedded default, then PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db')}/service.sqlite"
    return request.getfixturevalue("postgres").fresh_database()


SKIPPED_IN_CI: list[str] = []


def pytest_configure(config):
    """In CI (CI set, as .ci/run sets it) every tier runs: a marker expression that deselects
    tests is an error, and so (in pytest_sessionfinish) is any skipped test."""
    if os.environ.get("CI") and config.getoption("markexpr"):
        raise pytest.UsageError(
            f"CI runs every tier: -m {config.getoption('markexpr')!r} deselects tests; pass -m ''"
        )


def pytest_runtest_logreport(report):
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        SKIPPED_IN_CI.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if SKIPPED_IN_CI and not hasattr(session.config, "workerinput") and exitstatus == 0:
        print("\nskipped in CI, where nothing may skip:\n  " + "\n  ".join(SKIPPED_IN_CI))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
