"""The service's commands (SPEC section 7): `serve` and `worker` here; `db init`
(service_db.py), `token create|revoke` (token_commands.py), `roster import`
(roster_commands.py), and for instructors `assignment set|show` and `regrade`
(assignment_commands.py). Thin: each builds the settings and calls grader/service/. Only
`serve` and `db init` create a database; every command says which one it uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from grader.frontends.assignment_commands import assignment, regrade
from grader.frontends.roster_commands import roster
from grader.frontends.service_db import Refused, db, db_option, location, new_or_existing
from grader.frontends.token_commands import token
from grader.service.settings import DRAIN_SECONDS, Leases, RateLimit, ServiceSettings, Storage

log = logging.getLogger("grader.service")
lease_options = [
    click.option(
        "--lease", type=float, default=Leases.lease_seconds, show_default=True, help="Job lease (s)."
    ),
    click.option(
        "--heartbeat", type=float, default=Leases.heartbeat_seconds, show_default=True, help="Heartbeat (s)."
    ),
]


def with_leases(function: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(lease_options):
        function = option(function)
    return function


def _settings(
    db_url: str, lease: float = Leases.lease_seconds, heartbeat: float = Leases.heartbeat_seconds
) -> ServiceSettings:
    return ServiceSettings(db_url=db_url, leases=Leases(lease_seconds=lease, heartbeat_seconds=heartbeat))


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(0, 64), help="Grading workers here."
)
@click.option(
    "--solutions", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Reference folder."
)
@with_leases
@click.option("--rate-burst", type=int, default=RateLimit.burst, show_default=True, help="Quick submissions.")
@click.option(
    "--rate-refill", type=float, default=RateLimit.refill_seconds, show_default=True, help="Then one per (s)."
)
@click.option("--secure-cookies", is_flag=True, help="Cookies only over HTTPS (behind a TLS proxy).")
@click.option(
    "--storage-quota-mib",
    type=click.FloatRange(min=0.001),
    default=Storage.quota_bytes / (1 << 20),
    show_default=True,
    help="Stored upload bytes per student and assignment (MiB).",
)
@click.option(
    "--keep-submissions",
    type=click.IntRange(min=1),
    default=Storage.keep_submissions,
    show_default=True,
    help="Newest submissions per student and assignment whose files are always kept.",
)
@click.option(
    "--drain-seconds",
    type=click.FloatRange(min=0),
    default=DRAIN_SECONDS,
    show_default=True,
    help="On SIGTERM, how long workers may finish their jobs before they are killed.",
)
def serve(
    db_url: str | None,
    host: str,
    port: int,
    workers: int,
    solutions: Path | None,
    lease: float,
    heartbeat: float,
    rate_burst: int,
    rate_refill: float,
    secure_cookies: bool,
    storage_quota_mib: float,
    keep_submissions: int,
    drain_seconds: float,
) -> None:
    """Run the grading service: web pages and the API on one port, and grading workers. Creates
    the database when there is none (the first log line says which)."""
    from grader.service.serve import PortBusy, bind
    from grader.service.serve import serve as run

    _logging()
    try:
        listener = bind(host, port)  # first: a busy port is one line, before anything starts
    except PortBusy as exc:
        raise click.ClickException(str(exc)) from None
    where = location(db_url)
    log.info("%s", where.announcement())
    new_or_existing(where).dispose()
    settings = replace(
        _settings(where.url, lease, heartbeat),
        rate=RateLimit(rate_burst, rate_refill),
        secure_cookies=secure_cookies,
        storage=Storage(int(storage_quota_mib * (1 << 20)), keep_submissions),
        drain_seconds=drain_seconds,
    )
    run(settings, host, port, workers, solutions, listener)


@click.command()
@db_option
@with_leases
@click.option("--parent-pid", type=int, default=None, hidden=True)
@click.option(
    "--schema-wait",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="How long to wait for `grader serve` to create the schema (s).",
)
def worker(
    db_url: str | None, lease: float, heartbeat: float, parent_pid: int | None, schema_wait: float
) -> None:
    """Grade submissions from the service's database (on this or any other machine). A SQLite
    file must exist; on PostgreSQL it waits up to two minutes for `grader serve` to create the
    schema (workers may start first; --schema-wait), then gives up with exit 2."""
    from grader.service.store.database import DatabaseError, open_database, wait_for_schema
    from grader.service.worker import Worker

    _logging()
    where = location(db_url)
    log.info("%s", where.announcement())
    path = where.sqlite_file
    if path is not None and not path.is_file():
        raise Refused(f"no database at {path}: `grader serve` or `grader db init` creates it")
    try:
        engine = open_database(where.url, upgrade=False)
        wait_for_schema(engine, schema_wait)  # before the wake channel connects and adds its table
        Worker(_settings(where.url, lease, heartbeat), engine, parent_pid=parent_pid).run()
    except DatabaseError as exc:
        raise Refused(f"{where.describe()}: {exc}") from None


COMMANDS = (serve, worker, db, token, roster, regrade, assignment)


def register(main: click.Group) -> None:
    """Add the service's commands to `grader`."""
    for command in COMMANDS:
        main.add_command(command)
