"""The wake channel: Huey's queue storage (SQLite in the same database file by default,
PostgreSQL with LISTEN/NOTIFY at scale) carrying job ids as plain ASCII, never pickles. It only
tells idle workers to look at the job table, which is the truth: a lost message delays a job by
at most one idle wait, and nothing is ever graded because a message said so.

Why Huey: it is maintained, small, has no broker to run, and its SQLite and PostgreSQL storages
are the two databases the service already uses (so the embedded default stays one file, and
PostgreSQL's LISTEN/NOTIFY wakes workers on other machines at once). Its consumer is not used:
Huey delivers at most once, and the service needs leases, heartbeats and draining instead."""

from __future__ import annotations

import contextlib
import logging
import time

from huey import PostgresHuey, SqliteHuey
from sqlalchemy.engine import make_url

from grader.service.store.database import normalised_url

NAME = "grader-wake"
log = logging.getLogger("grader.service")


def libpq_url(url: str) -> str:
    """postgresql+psycopg://... as psycopg's own connect() takes it."""
    return make_url(normalised_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres_huey(dsn: str, wait_seconds: float, attempts: int = 5) -> PostgresHuey:
    """Huey creates its tables with CREATE TABLE IF NOT EXISTS, which PostgreSQL does not make
    safe against another session doing the same at that moment (a unique violation on pg_type).
    `grader serve` and workers waiting for the schema all start together once it is there: the
    ones that lose that race try again, and find the tables made."""
    import psycopg

    for attempt in range(attempts):
        try:
            return PostgresHuey(NAME, results=False, dsn=dsn, read_timeout=wait_seconds)
        except (
            psycopg.errors.UniqueViolation,
            psycopg.errors.DuplicateTable,
            psycopg.errors.DuplicateObject,
        ):
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


class WakeChannel:
    def __init__(self, db_url: str, wait_seconds: float = 1.0, poll_seconds: float = 0.1) -> None:
        url = normalised_url(db_url)
        self.poll_seconds = poll_seconds
        self.wait_seconds = wait_seconds
        if url.startswith("sqlite"):
            database = make_url(url).database or ":memory:"
            self.blocking = False
            self.huey = SqliteHuey(NAME, results=False, filename=database, timeout=60)
        else:
            self.blocking = True
            self.huey = _postgres_huey(libpq_url(url), wait_seconds)

    def wake(self, job_id: int) -> None:
        """Tell one idle worker to look; never fails the caller (the job is already stored)."""
        try:
            self.huey.storage.enqueue(str(int(job_id)).encode("ascii"))
        except Exception as exc:  # noqa: BLE001 - workers also look on their own
            log.warning(
                "wake channel unavailable (%s); workers will find job %s on their next look", exc, job_id
            )

    def wait(self) -> bool:
        """Block until woken or `wait_seconds` pass; True when a message came."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                if self.huey.storage.dequeue() is not None:
                    return True
            except Exception as exc:  # noqa: BLE001 - the database may be restarting
                log.warning("wake channel unavailable (%s)", exc.__class__.__name__)
                self._reset()
                time.sleep(min(self.wait_seconds, 1.0))
                return False
            if self.blocking or time.monotonic() >= deadline:
                return False
            time.sleep(self.poll_seconds)

    def pending(self) -> int:
        try:
            return int(self.huey.storage.queue_size())
        except Exception:  # noqa: BLE001
            return 0

    def _reset(self) -> None:
        with contextlib.suppress(Exception):
            self.huey.storage.close()
