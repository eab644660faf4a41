"""The order workers take jobs in (grader/service/jobs.py, claim), at the store level: a first
grading before any regrade, and within a priority the oldest job first. Fast, so the mutation run
reaches the rule (docs/mutation.md)."""

from __future__ import annotations

import pytest

from conftest import SUBMISSIONS
from grader.intake.checking import in_process
from grader.service import jobs
from grader.service.accounts import Account, create_token
from grader.service.settings import Leases, ServiceSettings
from grader.service.store.database import open_database, writing
from grader.service.submissions import accept
from grader.service.wake import WakeChannel

pytestmark = pytest.mark.one_database
BASE = (SUBMISSIONS / "base.py").read_bytes()


@pytest.fixture(scope="module")
def engine(database_url):
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def test_first_gradings_come_before_regrades_and_the_oldest_first(engine, database_url):
    settings = ServiceSettings(db_url=database_url)
    channel = WakeChannel(settings.db_url)
    submitted, regrade = [], None
    for student in ("qa", "qb", "qc"):
        create_token(engine, student, "student")
        upload = [("a.py", BASE + f"# {student}".encode())]
        submitted.append(
            accept(engine, settings, channel, Account(student, "student"), "hw1", upload, in_process)
        )
        if regrade is None:  # queued before qb's and qc's first gradings, taken after them
            with writing(engine) as connection:
                regrade = jobs.add_job(connection, submitted[0].id, 1, "regrade", jobs.REGRADE)
    assert jobs.REGRADE > jobs.FIRST_GRADING
    leases = Leases(lease_seconds=60)
    order = [jobs.claim(engine, f"w{k}", leases, settings.rate) for k in range(4)]
    assert [c.submission_id for c in order if c] == [s.id for s in submitted] + [submitted[0].id]
    assert order[-1] is not None and order[-1].job_id == regrade and order[-1].generation == 1
    assert jobs.claim(engine, "w-last", leases, settings.rate) is None
