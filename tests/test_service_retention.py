"""The service's storage quota and retention, on SQLite and PostgreSQL: an upload past the quota
is refused at no cost until older files are pruned, and pruning keeps the submissions that count,
the busy ones and every result (split from test_service_store.py)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from conftest import SUBMISSIONS
from grader.intake.checking import in_process
from grader.service import jobs, ratelimit
from grader.service.accounts import Account, create_token
from grader.service.settings import RateLimit, ServiceSettings
from grader.service.store.database import open_database
from grader.service.store.schema import submissions
from grader.service.submissions import accept
from grader.service.wake import WakeChannel

BASE = (SUBMISSIONS / "base.py").read_bytes()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> str:
    """A database of its own, so the queue holds only this test's jobs (claimed in order)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/own.sqlite"
    return request.getfixturevalue("postgres").fresh_database()


PADDED = BASE + b"\n#" + b"x" * (20_000 - len(BASE))
"""One upload of about 20 kB (the base answers and a long comment)."""


def _upload(engine, settings, student: str, tag: str) -> int:
    channel = WakeChannel(settings.db_url)
    files = [("a.py", PADDED + tag.encode())]
    return accept(engine, settings, channel, Account(student, "student"), "hw1", files, in_process).id


def _grade_next(engine, settings, score: float | None) -> int:
    """Claim the next job; record a result with this score (None: leave it running)."""
    claim = jobs.claim(engine, "w", settings.leases, settings.rate)
    assert claim is not None
    if score is not None:
        document = {"score": score, "max_score": 92.0, "exercises": []}
        jobs.record(engine, claim, "w", document, "d" * 64)
    return claim.submission_id


def test_an_upload_past_the_storage_quota_is_refused_until_older_files_are_pruned(fresh_url):
    from grader.service.retention import OverQuota, usage
    from grader.service.settings import Storage

    engine = open_database(fresh_url)
    size = len(PADDED) + 2
    storage = Storage(quota_bytes=int(3.5 * size), keep_submissions=1)
    settings = ServiceSettings(db_url=fresh_url, rate=RateLimit(10, 3600), storage=storage)
    create_token(engine, "quinn", "student")
    ids = [_upload(engine, settings, "quinn", f"{k:02d}") for k in range(3)]  # all queued: kept
    with engine.connect() as connection:
        before = ratelimit.allowance(connection, "quinn", settings.rate, time.time()).available
    with pytest.raises(OverQuota, match=r"quota .*0\.1 MiB.*0\.1 MiB are used by 3 submission"):
        _upload(engine, settings, "quinn", "03")
    with engine.connect() as connection:
        after = ratelimit.allowance(connection, "quinn", settings.rate, time.time()).available
        assert after == before, "a refused upload costs no token"
        assert connection.execute(select(func.count()).select_from(submissions)).scalar_one() == 3
    assert [_grade_next(engine, settings, score) for score in (10.0, 50.0, 20.0)] == ids
    fourth = _upload(engine, settings, "quinn", "03")  # the first (neither latest nor best) goes
    with engine.connect() as connection:
        assert usage(connection, "quinn", "hw1").stored_bytes == 3 * size
        pruned = connection.execute(select(submissions.c.id).where(submissions.c.pruned_at.isnot(None)))
        assert list(pruned.scalars()) == [ids[0]] and fourth == ids[-1] + 1
    engine.dispose()


def test_retention_keeps_what_counts_what_is_busy_and_every_result(fresh_url):
    from grader.service.settings import Storage
    from grader.service.store.schema import submission_files
    from grader.service.submissions import describe

    engine = open_database(fresh_url)
    settings = ServiceSettings(db_url=fresh_url, rate=RateLimit(100, 1), storage=Storage(keep_submissions=2))
    create_token(engine, "rita", "student")
    best, low, busy, latest = (_upload(engine, settings, "rita", f"{k:02d}") for k in range(4))
    assert _grade_next(engine, settings, 90.0) == best
    assert _grade_next(engine, settings, 10.0) == low
    assert _grade_next(engine, settings, None) == busy  # running: never pruned
    assert _grade_next(engine, settings, 30.0) == latest
    _upload(engine, settings, "rita", "04")  # keeps 2: this one and the newest before it
    with engine.connect() as connection:
        rows = {r.id: r for r in connection.execute(select(submissions)).all()}
        stored = set(connection.execute(select(submission_files.c.submission_id)).scalars())
        assert [i for i, r in rows.items() if r.pruned_at is not None] == [low]
        assert low not in stored and {best, busy, latest} <= stored
        seen = describe(connection, rows[low])
    assert seen["status"] == "done" and seen["final_score"] == 10.0 and seen["pruned_at"] is not None
    added = jobs.regrade(engine, "hw1", "rita", "test")
    with engine.connect() as connection:
        regraded = connection.execute(select(jobs.jobs.c.submission_id).where(jobs.jobs.c.id.in_(added)))
        assert low not in set(regraded.scalars()), "nothing left to regrade"
    engine.dispose()
