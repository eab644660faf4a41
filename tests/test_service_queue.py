"""The order workers take jobs in (grader/service/jobs.py, claim), at the store level: a first
grading before any regrade, and within a priority the oldest job first; and what the rate limit
says about the wait for the next submission (ratelimit.py). Fast, so the mutation run
reaches the rule (docs/mutation.md)."""

from __future__ import annotations

import pytest

from conftest import SUBMISSIONS
from grader.intake.checking import in_process
from grader.service import jobs, ratelimit
from grader.service.accounts import Account, create_token
from grader.service.settings import Leases, RateLimit, ServiceSettings
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


def test_the_allowance_says_when_the_next_submission_is_possible(engine):
    rate = RateLimit(burst=3, refill_seconds=10.0)
    now = 1000.0
    create_token(engine, "qz", "student")
    with writing(engine) as connection:
        assert ratelimit.allowance(connection, "qz", rate, now) == ratelimit.Allowance(3, 0.0), (
            "full: no wait"
        )
        assert ratelimit.take(connection, "qz", rate, now) is None
        assert ratelimit.allowance(connection, "qz", rate, now) == ratelimit.Allowance(2, 10.0)
        assert ratelimit.take(connection, "qz", rate, now) is None
        assert ratelimit.allowance(connection, "qz", rate, now + 2.5) == ratelimit.Allowance(1, 7.5)
        assert ratelimit.take(connection, "qz", rate, now + 2.5) is None
        assert ratelimit.allowance(connection, "qz", rate, now + 6.5) == ratelimit.Allowance(0, 3.5)
        assert ratelimit.take(connection, "qz", rate, now + 9.5) == 1, "0.5 s left rounds up to 1"
        assert ratelimit.take(connection, "qz", rate, now + 2.5) == 8, "a clock going back adds nothing"
