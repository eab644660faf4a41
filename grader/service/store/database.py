"""The engine for a database URL, and the schema brought up to date (Alembic). SQLite runs in WAL
mode with full fsync, and transactions that write take the write lock at BEGIN (`writing`), so
two writers never deadlock upgrading their locks; PostgreSQL connections are checked before use,
so the service and workers carry on after the database restarts."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from grader.service.store import private

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 7_212_041
"""The PostgreSQL advisory lock held while migrating (several front ends may start at once)."""


class DatabaseError(Exception):
    """The database URL or schema is not usable; the message says why."""


def normalised_url(url: str) -> str:
    """postgresql:// (and postgres://) mean psycopg 3; sqlite paths stay as they are."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if not url.startswith(("sqlite://", "postgresql+psycopg://")):
        raise DatabaseError(f"unsupported database URL (use sqlite:///FILE or postgresql://...): {url[:80]}")
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


NOT_A_DATABASE = "is not a grader database"


def foreign_file(path: Path) -> str | None:
    """Why an existing, non-empty file at `path` is not an SQLite database (None when it is one,
    is empty or is absent), asked before anything else opens it, so that pointing --db at a
    notebook by mistake neither changes its mode nor has SQLite write to it. SQLite itself reads
    the header, read-only: a plain open() and close() of a database file would drop every POSIX
    lock this process's own SQLite connections hold on it (fcntl locks belong to the process, and
    any close() releases them), which corrupts a database in use."""
    try:
        if path.stat().st_size == 0:
            return None
    except OSError:
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as probe:
            probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            return f"{path} {NOT_A_DATABASE} (not an SQLite file)"
    return None


def open_engine(url: str) -> Engine:
    url = normalised_url(url)
    if url.startswith("sqlite"):
        database = sqlite_path(url)
        if database is not None and str(database) != ":memory:" and not str(database).startswith("file:"):
            problem = foreign_file(database)
            if problem is not None:
                raise DatabaseError(problem)
            private.prepare(database)
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # BEGIN is emitted below
            cursor = dbapi_connection.cursor()
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=60000"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            immediate = connection.get_execution_options().get("immediate", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: committed on success, rolled back on error."""
    with engine.connect() as connection:
        connection = connection.execution_options(immediate=True)
        with connection.begin():
            yield connection


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, once even when several processes start together."""
    config = _config()
    with writing(engine) as connection:
        if not is_sqlite(engine):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def wait_for_schema(engine: Engine, seconds: float = 120.0) -> None:
    """For workers: wait until a front end has migrated the database (they never migrate it)."""
    deadline = time.monotonic() + seconds
    head = head_revision()
    while True:
        try:
            if current_revision(engine) == head:
                return
        except Exception as exc:  # noqa: BLE001 - the database may still be starting
            last = f" (it does not answer: {exc.__class__.__name__})"
        else:
            last = ""
        if time.monotonic() > deadline:
            raise DatabaseError(f"the database is not at schema {head}{last}: start `grader serve` first")
        time.sleep(0.5)


def open_database(url: str, *, upgrade: bool = True) -> Engine:
    try:
        engine = open_engine(url)
        if upgrade:
            migrate(engine)
        return engine
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(f"cannot open the database: {exc.__class__.__name__}: {str(exc)[:300]}") from None


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalised_url(url))
    return Path(parsed.database) if parsed.drivername.startswith("sqlite") and parsed.database else None
