"""Leases, refunds and sessions on a SQLite database of each test's own: a renewed lease runs
from the renewal and only its holder renews it, a failed first grading refunds its token (a
failed regrade none), and a session ends when it expires, at logout or when its token is revoked
(split from test_service_store.py)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from test_service_store import _submission

from grader.service import accounts, jobs, ratelimit
from grader.service.accounts import (
    Account,
    Session,
    create_token,
    end_session,
    find_session,
    revoke_tokens,
    start_session,
)
from grader.service.settings import Leases, RateLimit, ServiceSettings
from grader.service.store.database import open_database


@pytest.fixture
def own(tmp_path):
    """A SQLite database of the test's own, and its settings."""
    url = f"sqlite:///{tmp_path}/own.sqlite"
    engine = open_database(url)
    yield engine, ServiceSettings(db_url=url, rate=RateLimit(burst=3, refill_seconds=3600))
    engine.dispose()


def _available(engine, account_id: str, rate: RateLimit) -> int:
    with engine.connect() as connection:
        return ratelimit.allowance(connection, account_id, rate, time.time()).available


def test_a_renewed_lease_runs_from_the_renewal(own):
    engine, settings = own
    _submission(engine, settings, "renewer", "# renew")
    lapsed = Leases(lease_seconds=-1.0)  # a lease that has already run out when it is granted
    claim = jobs.claim(engine, "worker-a", lapsed, settings.rate)
    assert claim is not None
    renewed_at = time.time()
    assert jobs.renew(engine, claim, "worker-a", Leases(lease_seconds=600))
    with engine.connect() as connection:
        expires = connection.execute(select(jobs.jobs.c.lease_expires)).scalar_one()
    assert renewed_at + 600 <= expires <= time.time() + 600
    assert jobs.claim(engine, "worker-b", settings.leases, settings.rate) is None, "the renewed lease holds"
    assert not jobs.renew(engine, claim, "worker-b", settings.leases), "only the holder renews"


def test_a_failed_first_grading_refunds_its_token_and_a_failed_regrade_refunds_none(own):
    engine, settings = own
    rate = settings.rate
    _submission(engine, settings, "refund", "# first")
    assert _available(engine, "refund", rate) == 2
    claim = jobs.claim(engine, "worker-a", settings.leases, rate)
    assert claim is not None and claim.generation == 0
    jobs.fail(engine, claim, "worker-a", "the grader broke", rate)
    assert _available(engine, "refund", rate) == 3, "the student is not charged for the grader's failure"
    _submission(engine, settings, "refund", "# second")
    assert _available(engine, "refund", rate) == 2
    claim = jobs.claim(engine, "worker-a", settings.leases, rate)
    assert claim is not None
    jobs.record(engine, claim, "worker-a", {"score": 1.0, "max_score": 92.0, "exercises": []}, "d" * 64)
    assert len(jobs.regrade(engine, "hw1", "refund", "test")) == 2
    for _ in range(2):
        claim = jobs.claim(engine, "worker-a", settings.leases, rate)
        assert claim is not None and claim.generation == 1
        jobs.fail(engine, claim, "worker-a", "the grader broke again", rate)
    assert _available(engine, "refund", rate) == 2, "a regrade never cost a token, so it refunds none"


def test_a_session_lasts_until_it_expires_or_ends(own, monkeypatch):
    engine, _ = own
    clock = [1_000_000.0]
    monkeypatch.setattr(accounts, "time", SimpleNamespace(time=lambda: clock[0]))
    token = create_token(engine, "sam", "student")

    def login() -> tuple[str, Session]:
        started = start_session(engine, token, hours=1.0)
        assert started is not None
        assert find_session(engine, started[0]) == started[1]
        return started

    cookie, session = login()
    assert session.account == Account("sam", "student")
    clock[0] += 3600 - 1
    assert find_session(engine, cookie) == session, "still within its hour"
    clock[0] += 1
    assert find_session(engine, cookie) is None, "expired after exactly its hour"
    assert start_session(engine, token + "x", hours=1.0) is None
    cookie, _ = login()
    end_session(engine, cookie)
    assert find_session(engine, cookie) is None, "logged out"
    cookie, _ = login()
    revoke_tokens(engine, "sam")
    assert find_session(engine, cookie) is None, "a revoked token ends its sessions"
