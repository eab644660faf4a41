"""The service's commands (SPEC section 7): `serve`, `worker`, `token create|revoke`,
`roster import`, and for instructors `regrade` and `assignment set`. Thin: each builds the
settings and calls grader/service/."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click

from grader import assignments
from grader.service.settings import DEFAULT_DB, DRAIN_SECONDS, Leases, RateLimit, ServiceSettings, Storage

DB_HELP = "Database URL: sqlite:///FILE (default: a SQLite file here) or postgresql://USER:PASS@HOST/DB."
db_option = click.option(
    "--db", "db_url", default=DEFAULT_DB, show_default=True, envvar="GRADER_DB", help=DB_HELP
)
lease_options = [
    click.option(
        "--lease", type=float, default=Leases.lease_seconds, show_default=True, help="Job lease (s)."
    ),
    click.option(
        "--heartbeat", type=float, default=Leases.heartbeat_seconds, show_default=True, help="Heartbeat (s)."
    ),
]


def with_leases(function):
    for option in reversed(lease_options):
        function = option(function)
    return function


def _settings(db_url: str, lease: float = Leases.lease_seconds, heartbeat: float = Leases.heartbeat_seconds):
    return ServiceSettings(db_url=db_url, leases=Leases(lease_seconds=lease, heartbeat_seconds=heartbeat))


def _engine(db_url: str):
    from grader.service.store.database import DatabaseError, open_database

    try:
        return open_database(db_url)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None


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
    db_url,
    host,
    port,
    workers,
    solutions,
    lease,
    heartbeat,
    rate_burst,
    rate_refill,
    secure_cookies,
    storage_quota_mib,
    keep_submissions,
    drain_seconds,
) -> None:
    """Run the grading service: web pages and the API on one port, and grading workers."""
    from grader.service.serve import serve as run

    _logging()
    _engine(db_url)
    settings = replace(
        _settings(db_url, lease, heartbeat),
        rate=RateLimit(rate_burst, rate_refill),
        secure_cookies=secure_cookies,
        storage=Storage(int(storage_quota_mib * (1 << 20)), keep_submissions),
        drain_seconds=drain_seconds,
    )
    run(settings, host, port, workers, solutions)


@click.command()
@db_option
@with_leases
@click.option("--parent-pid", type=int, default=None, hidden=True)
def worker(db_url, lease, heartbeat, parent_pid) -> None:
    """Grade submissions from the service's database (on this or any other machine)."""
    from grader.service.store.database import DatabaseError
    from grader.service.worker import Worker

    _logging()
    try:
        Worker(_settings(db_url, lease, heartbeat), parent_pid=parent_pid).run()
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def token() -> None:
    """Create or revoke access tokens."""


@token.command("create")
@db_option
@click.option("--student", help="The student's id.")
@click.option(
    "--grader", "grader_id", help="A grader's id (a teaching assistant: reads all, scores by hand)."
)
@click.option(
    "--instructor", is_flag=False, flag_value="", default=None, help="An instructor token (for ID)."
)
def token_create(db_url, student, grader_id, instructor) -> None:
    """Print a new token for a student (--student ID), a grader (--grader ID) or an instructor
    (--instructor ID)."""
    from grader.service.accounts import AccountError, create_token

    if instructor is not None:
        account_id, role = (instructor or student or "instructor"), "instructor"
    elif grader_id:
        account_id, role = grader_id, "grader"
    elif student:
        account_id, role = student, "student"
    else:
        raise click.UsageError("give --student ID, --grader ID or --instructor ID")
    try:
        click.echo(create_token(_engine(db_url), account_id, role))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


@token.command("revoke")
@db_option
@click.option("--student", "account_id", required=True, help="The account whose tokens end now.")
def token_revoke(db_url, account_id) -> None:
    """Revoke every token of an account (and end its web sessions)."""
    from grader.service.accounts import revoke_tokens

    click.echo(f"revoked {revoke_tokens(_engine(db_url), account_id)} token(s) of {account_id}", err=True)


@click.group()
def roster() -> None:
    """Class lists."""


@roster.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--reissue", is_flag=True, help="Revoke students' old tokens and give everyone a new one.")
def roster_import(csv_file, db_url, reissue) -> None:
    """Create a token per student of FILE.csv (columns: id or student_id, and optionally
    first_name, last_name, email); prints `id,token` for each new token on stdout."""
    from grader.service.roster import RosterError, import_roster

    try:
        issued, kept = import_roster(_engine(db_url), csv_file, reissue)
    except RosterError as exc:
        raise click.ClickException(str(exc)) from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "token"])
    writer.writerows(issued)
    click.echo(out.getvalue(), nl=False)
    click.echo(f"{len(issued)} token(s) issued; {len(kept)} student(s) already had one (--reissue)", err=True)


@click.command()
@db_option
@click.option("--assignment", type=click.Choice(assignments.ids()), required=True)
@click.option("--student", default=None, help="Only this student's submissions.")
@click.option(
    "--solutions", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Reference folder."
)
def regrade(db_url, assignment, student, solutions) -> None:
    """Publish the reference in --solutions (after a fix) and regrade; old results are kept."""
    from grader.plan.reference import ReferenceNotFound, default_solutions_dir
    from grader.service.dashboard import regrade_and_wake
    from grader.service.references import publish
    from grader.service.wake import WakeChannel

    engine = _engine(db_url)
    folder = solutions or default_solutions_dir()
    if folder is not None:
        try:
            click.echo(f"{assignment}: reference {publish(engine, assignment, folder)[:12]}", err=True)
        except ReferenceNotFound as exc:
            raise click.ClickException(str(exc)) from None
    added = regrade_and_wake(engine, WakeChannel(db_url), assignment, student)
    click.echo(f"{len(added)} submission(s) queued for regrading", err=True)


def _instant(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO date and time: {text}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@click.group()
def assignment() -> None:
    """Per-assignment settings of the service."""


@assignment.command("set")
@click.argument("assignment_id", type=click.Choice(assignments.ids()))
@db_option
@click.option("--deadline", help="ISO date and time (UTC unless it says otherwise).")
@click.option("--late-until", help="Accept late work until then.")
@click.option("--penalty-per-day", type=float, default=0.0, show_default=True, help="Fraction off per day.")
@click.option("--policy", type=click.Choice(("latest", "best")), default="latest", show_default=True)
def assignment_set(assignment_id, db_url, deadline, late_until, penalty_per_day, policy) -> None:
    """Set the deadline, late window and penalty, and which submission counts."""
    from grader.service.deadlines import AssignmentSettings, SettingsError, store_settings
    from grader.service.store.database import writing

    rules = AssignmentSettings(
        assignment_id, _instant(deadline), _instant(late_until), penalty_per_day, policy
    )
    try:
        with writing(_engine(db_url)) as connection:
            store_settings(connection, rules)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(str(rules.to_json()), err=True)


COMMANDS = (serve, worker, token, roster, regrade, assignment)


def register(main: click.Group) -> None:
    for command in COMMANDS:
        main.add_command(command)
