"""The service's storage and queue rules without HTTP, on SQLite and PostgreSQL: the migrations
build exactly the tables the code uses, a job is recorded once even when two workers held it,
the token bucket and late penalties do what they promise, and uploads are checked as hostile."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import time
import zipfile

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from conftest import HW1, SOLUTIONS, SUBMISSIONS
from grader.intake.checking import in_process  # the limited child is tested in test_upload_screening
from grader.intake.files import Budget
from grader.intake.uploads import Rejected, receive_uploads
from grader.plan.reference import reference_sources
from grader.service import jobs, ratelimit
from grader.service.accounts import (
    Account,
    authenticate,
    create_token,
    revoke_tokens,
)
from grader.service.deadlines import DAY, AssignmentSettings, lateness
from grader.service.settings import Leases, RateLimit, ServiceSettings
from grader.service.store.database import current_revision, head_revision, open_database, writing
from grader.service.store.schema import metadata, results, submissions
from grader.service.submissions import accept
from grader.service.wake import WakeChannel

BASE = (SUBMISSIONS / "base.py").read_bytes()


@pytest.fixture(scope="module")
def engine(database_url):
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def test_the_migrations_build_exactly_the_tables_the_code_uses(engine):
    assert current_revision(engine) == head_revision()
    ours = set(metadata.tables)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, kind, _parent: kind != "table" or name in ours},
        )
        assert compare_metadata(context, metadata) == []


def test_migrating_twice_changes_nothing(database_url, engine):
    open_database(database_url).dispose()
    assert current_revision(engine) == head_revision()


def _submission(engine, settings, student: str, tag: str) -> int:
    account = Account(student, "student")
    create_token(engine, student, "student")
    channel = WakeChannel(settings.db_url)
    return accept(engine, settings, channel, account, "hw1", [("a.py", BASE + tag.encode())], in_process).id


def test_two_workers_never_both_record_one_job(engine, database_url):
    settings = ServiceSettings(db_url=database_url)
    short = Leases(lease_seconds=0.2)
    submission_id = _submission(engine, settings, "race", "# race")
    first = jobs.claim(engine, "worker-a", short, settings.rate)
    assert first is not None and first.submission_id == submission_id
    assert jobs.claim(engine, "worker-b", short, settings.rate) is None, "held, and nothing else queued"
    time.sleep(0.3)  # worker-a's lease runs out without a heartbeat
    second = jobs.claim(engine, "worker-b", short, settings.rate)
    assert second is not None and second.job_id == first.job_id and second.attempt == 2
    assert not jobs.renew(engine, first, "worker-a", short)
    document = {"score": 1.0, "max_score": 92.0, "exercises": []}
    with pytest.raises(jobs.LeaseLost):
        jobs.record(engine, first, "worker-a", document, "d" * 64)
    jobs.record(engine, second, "worker-b", document, "d" * 64)
    with pytest.raises(jobs.LeaseLost):
        jobs.record(engine, second, "worker-b", document, "d" * 64)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).where(results.c.job_id == first.job_id)).scalar_one()
    assert stored == 1


def test_a_job_whose_workers_keep_dying_fails_and_refunds(engine, database_url):
    settings = ServiceSettings(db_url=database_url)
    short = Leases(lease_seconds=0.05, max_attempts=2)
    rate = RateLimit(burst=3, refill_seconds=3600)
    _submission(engine, settings, "poison", "# poison")
    with writing(engine) as connection:
        before = ratelimit.allowance(connection, "poison", rate, time.time()).available
    for attempt in range(2):
        claim = jobs.claim(engine, f"w{attempt}", short, rate)
        assert claim is not None and claim.attempt == attempt + 1
        time.sleep(0.1)
    assert jobs.claim(engine, "w-last", short, rate) is None
    with engine.connect() as connection:
        row = connection.execute(
            select(jobs.jobs).where(jobs.jobs.c.lease_owner.is_(None)).order_by(jobs.jobs.c.id.desc())
        ).first()
        after = ratelimit.allowance(connection, "poison", rate, time.time()).available
    assert row.status == "failed" and "stopped 2 times" in row.error
    assert after == min(3, before + 1), "the student is not charged for the grader's failure"


def test_the_token_bucket_refills_and_says_when(engine):
    rate = RateLimit(burst=3, refill_seconds=10)
    now = 1_000_000.0
    with writing(engine) as connection:
        from grader.service.accounts import ensure_account

        ensure_account(connection, "bucket", "student")
        assert [ratelimit.take(connection, "bucket", rate, now) for _ in range(3)] == [None, None, None]
        assert ratelimit.take(connection, "bucket", rate, now) == 10
        assert ratelimit.take(connection, "bucket", rate, now + 4) == 6
        assert ratelimit.take(connection, "bucket", rate, now + 10) is None
        ratelimit.give_back(connection, "bucket", rate, now + 10)
        assert ratelimit.allowance(connection, "bucket", rate, now + 10).available == 1
        assert ratelimit.allowance(connection, "bucket", rate, now + 1000).available == 3


def test_tokens_are_revocable_and_never_stored_in_clear(engine):
    token = create_token(engine, "tess", "student")
    assert authenticate(engine, token) == Account("tess", "student")
    assert authenticate(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    revoke_tokens(engine, "tess")
    assert authenticate(engine, token) is None


@pytest.mark.parametrize(
    ("days_late", "closed", "penalty"),
    [
        (-1, False, 0.0),
        (0.01, False, 0.1),
        (1.0, False, 0.1),
        (1.01, False, 0.2),
        (2.5, False, 0.3),
        (3.5, True, 1.0),
    ],
)
def test_late_penalties_count_started_days(days_late, closed, penalty):
    rules = AssignmentSettings("hw1", deadline=0.0, late_until=3 * DAY, penalty_per_day=0.1)
    late = lateness(rules, days_late * DAY)
    assert late.closed == closed and late.penalty == pytest.approx(penalty)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_uploads_are_read_as_hostile_input():
    budget = Budget(file_bytes=1000, total_bytes=3000, files=3)
    accepted = receive_uploads([("C:\\Users\\me\\work.py", b"x = 1\n"), ("selfcheck.py", b"")], budget)
    assert accepted.files == {"work.py": b"x = 1\n", "selfcheck.py": b""} and accepted.graded == ("work.py",)
    unpacked = receive_uploads(
        [("hw.zip", _zip({"hw1/a.py": b"y = 2\n", "__MACOSX/._a.py": b"junk"}))], budget
    )
    assert unpacked.graded == ("hw/hw1/a.py",)
    for uploads, reason in [
        ([], "no file was uploaded"),
        ([("a.py", b"1"), ("a.py", b"2")], "uploaded twice"),
        ([("big.py", b"#" * 1001)], "more than the 1000-byte limit"),
        ([("a.py", b"1"), ("b.py", b"1"), ("c.py", b"1"), ("d.py", b"1")], "more than 3 files"),
        ([("x.ipynb", b"[]")], "not a valid Jupyter notebook"),
        ([("notes.md", b"hi")], "not a notebook"),
        ([("selfcheck.py", b"")], "no notebook or .py file to grade"),
        ([("bomb.zip", _zip({"a.py": b"0" * 5000}))], "bytes allowed"),
    ]:
        with pytest.raises(Rejected, match=reason):
            receive_uploads(uploads, budget)


def own_database(kind: str, request, tmp_path) -> str:
    """A database of this test's own (nothing another test queued or stored is in it)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/own.sqlite"
    return request.getfixturevalue("postgres").fresh_database()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_stored_result_names_its_reference(kind, request, tmp_path):
    """Results carry the reference digest, so a regrade can tell what changed and why."""
    url = own_database(kind, request, tmp_path)
    engine, settings = open_database(url), ServiceSettings(db_url=url)
    digest, _ = reference_sources(HW1, SOLUTIONS)
    submission_id = _submission(engine, settings, "named", "# named")
    before = {
        "score": 2.0,
        "max_score": 92.0,
        "exercises": [{"id": "loss", "score": 2.0, "status": "passed"}],
    }
    after = {"score": 0.0, "max_score": 92.0, "exercises": [{"id": "loss", "score": 0.0, "status": "failed"}]}
    for document in (before, after):
        claim = jobs.claim(engine, "worker-n", settings.leases, settings.rate)
        assert claim is not None and claim.submission_id == submission_id
        jobs.record(engine, claim, "worker-n", document, digest)
        jobs.regrade(engine, "hw1", "named", "the reference changed")
    with engine.connect() as connection:
        rows = connection.execute(
            select(results.c.generation, results.c.reference_digest, results.c.document, results.c.changes)
            .where(results.c.submission_id == submission_id)
            .order_by(results.c.generation)
        ).all()
    engine.dispose()
    assert [row.generation for row in rows] == [0, 1] and {row.reference_digest for row in rows} == {digest}
    assert [json.loads(row.document) for row in rows] == [before, after]
    assert rows[0].changes is None and json.loads(rows[1].changes) == jobs.changes(before, after) != []


def test_a_regrade_records_what_changed_per_exercise():
    before = {
        "exercises": [
            {"id": "a", "score": 2.0, "status": "passed"},
            {"id": "b", "score": 0.0, "status": "failed"},
        ]
    }
    after = {
        "exercises": [
            {"id": "a", "score": 2.0, "status": "passed"},
            {"id": "b", "score": 4.0, "status": "passed"},
        ]
    }
    assert jobs.changes(before, after) == [
        {"id": "b", "before": {"score": 0.0, "status": "failed"}, "after": {"score": 4.0, "status": "passed"}}
    ]
    assert jobs.changes(before, before) == [] and jobs.changes(None, after) == []


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_status_read_while_a_worker_commits_is_never_done_without_a_result(
    kind, request, tmp_path, monkeypatch
):
    """A worker may commit between the statements of one status read (on PostgreSQL each
    statement has its own snapshot). Whenever it commits, the read says either "not finished" or
    "done" with the result, and a finished regrade is never still "regrading"."""
    from grader.service import submissions as status_reads

    if kind == "sqlite":
        url = f"sqlite:///{tmp_path}/race.sqlite"
    else:
        url = request.getfixturevalue("postgres").fresh_database()
    engine = open_database(url)
    settings = ServiceSettings(db_url=url)
    document = {"score": 1.0, "max_score": 92.0, "exercises": []}
    submission_id = _submission(engine, settings, "between", "# between")
    with engine.connect() as connection:
        row = connection.execute(select(submissions).where(submissions.c.id == submission_id)).one()
    original = {name: getattr(status_reads, name) for name in ("newest_job", "newest_result")}

    def read(commit_after: str) -> dict:
        """`describe`, with the worker's commit landing just after one of its reads."""
        claim = jobs.claim(engine, "worker-x", settings.leases, settings.rate)
        assert claim is not None and claim.submission_id == submission_id

        def then_commit(*args):
            answer = original[commit_after](*args)
            jobs.record(engine, claim, "worker-x", document, "d" * 64)
            return answer

        monkeypatch.setattr(status_reads, commit_after, then_commit)
        try:
            with engine.connect() as connection:
                return status_reads.describe(connection, row)
        finally:
            monkeypatch.setattr(status_reads, commit_after, original[commit_after])

    def consistent(seen: dict, generation: int) -> None:
        if seen["status"] == jobs.DONE:
            assert seen["result"] is not None, "done, with no result"
        assert not (seen["generation"] == generation and seen["regrading"]), "finished, yet regrading"

    consistent(read("newest_result"), 0)  # the first grading lands after the result is read
    assert jobs.regrade(engine, "hw1", "between", "test"), "a regrade is queued"
    consistent(read("newest_job"), 1)  # the regrade lands after the newest job is read
    engine.dispose()


def test_the_sqlite_database_and_the_folders_made_for_it_are_private(tmp_path, caplog):
    """It holds the reference's source, every submission and the sessions' CSRF tokens: 0600
    (with its -wal and -shm), in folders made 0700; a folder the operator made is left alone."""

    def mode(path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    chosen = mode(tmp_path)
    database = tmp_path / "made" / "here" / "service.sqlite"
    umask = os.umask(0o022)  # the usual one, which leaves new files readable by all
    try:
        engine = open_database(f"sqlite:///{database}")
        WakeChannel(f"sqlite:///{database}").wake(1)  # Huey's writes go to the same file
        companions = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in companions), "checked while the engine holds them open"
        assert [mode(p) for p in (database, *companions)] == [0o600] * 3
        assert mode(database.parent) == mode(database.parent.parent) == 0o700
        assert mode(tmp_path) == chosen
        engine.dispose()
        os.chmod(database, 0o644)
        os.chmod(database.parent, 0o755)  # now the operator's choice
        with caplog.at_level(logging.WARNING, logger="grader.service"):
            open_database(f"sqlite:///{database}").dispose()
        assert mode(database) == 0o600 and "readable by others (mode 0644)" in caplog.text
        assert mode(database.parent) == 0o755
    finally:
        os.umask(umask)


def test_wake_channels_opened_at_once_on_a_fresh_postgresql_all_open(postgres):
    """`grader serve` and the workers that waited for its schema open their wake channels at the
    same moment; Huey's CREATE TABLE IF NOT EXISTS is not safe against that on PostgreSQL."""
    import threading

    url = postgres.fresh_database()
    start, failed = threading.Barrier(4), []

    def open_channel() -> None:
        start.wait()
        try:
            WakeChannel(url)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            failed.append(repr(exc))

    threads = [threading.Thread(target=open_channel) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []


def test_an_account_keeps_its_role_and_a_new_name_changes_that_account_alone(engine):
    """A roster re-import updates names and e-mail of the student it names, never of anyone else,
    never blanks them when the row gives none, and never changes a role."""
    from sqlalchemy import select

    from grader.service.accounts import AccountError, ensure_account
    from grader.service.store.schema import accounts

    with writing(engine) as connection:
        ensure_account(connection, "names-a", "student", "Ada", "L", "a@x.org")
        ensure_account(connection, "names-b", "student", "Bob", "M", "b@x.org")
        ensure_account(connection, "names-a", "student", "Ada", "Lovelace", "")
        ensure_account(connection, "names-b", "student")  # no names given: kept
        with pytest.raises(AccountError, match="names-a is already a student"):
            ensure_account(connection, "names-a", "instructor")
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                accounts.c.id, accounts.c.role, accounts.c.first_name, accounts.c.last_name, accounts.c.email
            )
            .where(accounts.c.id.in_(["names-a", "names-b"]))
            .order_by(accounts.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("names-a", "student", "Ada", "Lovelace", ""),
        ("names-b", "student", "Bob", "M", "b@x.org"),
    ]
