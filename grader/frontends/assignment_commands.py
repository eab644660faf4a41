"""`grader assignment set|show` and `grader regrade`, for instructors. `set` changes only the
options it is given (a later `set --deadline` once wiped the late window, the penalty and the
policy without a word) and prints the settings as `show` does: every time in UTC and in local
time, and "none" for what is not set."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from grader import assignments
from grader.frontends.service_db import Refused, db_option, existing, existing_engine
from grader.service.deadlines import AssignmentSettings

NONE = "none"


def _instant(text: str) -> float | None:
    """An ISO date and time (UTC unless it says otherwise), or `none` to unset it."""
    if text.strip().lower() == NONE:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO date and time (or `none`): {text}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _moment(seconds: float | None) -> str:
    if seconds is None:
        return NONE
    utc = datetime.fromtimestamp(seconds, UTC)
    local = datetime.fromtimestamp(seconds).astimezone()
    form = "%Y-%m-%d %H:%M" + (":%S" if utc.second else "")
    if not local.utcoffset():
        return f"{utc.strftime(form)} UTC (local time is UTC)"
    return f"{utc.strftime(form)} UTC = {local.strftime(form)} {local.tzname() or ''} (local time)"


def describe(settings: AssignmentSettings) -> str:
    """The settings as an instructor reads them, one per line."""
    penalty = settings.penalty_per_day
    late = (
        "no late work after the deadline" if settings.late_until is None else "late work accepted until then"
    )
    lines = [
        f"assignment:       {settings.assignment}",
        f"deadline:         {_moment(settings.deadline)}",
        f"late until:       {_moment(settings.late_until)}" + (f" ({late})" if settings.deadline else ""),
        f"penalty per day:  {penalty:g} ({penalty:.0%} of the score per started day late)",
        f"policy:           {settings.policy} (the {settings.policy} submission counts)",
    ]
    return "\n".join(lines)


@click.group()
def assignment() -> None:
    """Per-assignment settings of the service."""


@assignment.command("set")
@click.argument("assignment_id", type=click.Choice(assignments.ids()))
@db_option
@click.option("--deadline", help="ISO date and time (UTC unless it says otherwise), or `none`.")
@click.option("--late-until", help="Accept late work until then (ISO date and time), or `none`.")
@click.option("--penalty-per-day", type=click.FloatRange(0, 1), help="Fraction of the score off per day.")
@click.option("--policy", type=click.Choice(("latest", "best")), help="Which submission counts.")
def assignment_set(
    assignment_id: str,
    db_url: str | None,
    deadline: str | None,
    late_until: str | None,
    penalty_per_day: float | None,
    policy: str | None,
) -> None:
    """Change the deadline, late window, penalty or policy: only the options given; the others
    keep their values. Prints the settings (as `grader assignment show`)."""
    from grader.service.deadlines import SettingsError, change_settings
    from grader.service.store.database import writing

    changes: dict[str, object] = {}
    if deadline is not None:
        changes["deadline"] = _instant(deadline)
    if late_until is not None:
        changes["late_until"] = _instant(late_until)
    if penalty_per_day is not None:
        changes["penalty_per_day"] = penalty_per_day
    if policy is not None:
        changes["policy"] = policy
    if not changes:
        raise click.UsageError(
            "nothing to change: give --deadline, --late-until, --penalty-per-day or --policy "
            f"(`grader assignment show {assignment_id}` prints the settings)"
        )
    engine = existing_engine(db_url)
    try:
        with writing(engine) as connection:
            settings = change_settings(connection, assignment_id, changes)
    except SettingsError as exc:
        raise Refused(str(exc)) from None
    click.echo(f"changed {', '.join(changes)}; the other settings are as they were", err=True)
    click.echo(describe(settings))


@assignment.command("show")
@click.argument("assignment_id", type=click.Choice(assignments.ids()))
@db_option
def assignment_show(assignment_id: str, db_url: str | None) -> None:
    """Print an assignment's settings, times in UTC and in local time."""
    from grader.service.deadlines import settings_for

    with existing_engine(db_url).connect() as connection:
        click.echo(describe(settings_for(connection, assignment_id)))


@click.command()
@db_option
@click.option("--assignment", type=click.Choice(assignments.ids()), required=True)
@click.option("--student", default=None, help="Only this student's submissions.")
@click.option(
    "--solutions", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Reference folder."
)
def regrade(db_url: str | None, assignment: str, student: str | None, solutions: Path | None) -> None:
    """Publish the reference in --solutions (after a fix) and regrade; old results are kept. An
    unknown --student is an error (exit 2), not "0 submissions queued"."""
    from grader.plan.reference import ReferenceNotFound, default_solutions_dir
    from grader.service.accounts import AccountError, require_account
    from grader.service.dashboard import regrade_and_wake
    from grader.service.references import publish
    from grader.service.wake import WakeChannel

    where, engine = existing(db_url)
    if student is not None:
        try:
            require_account(engine, student)
        except AccountError as exc:
            raise Refused(str(exc)) from None
    folder = solutions or default_solutions_dir()
    if folder is not None:
        try:
            click.echo(f"{assignment}: reference {publish(engine, assignment, folder)[:12]}", err=True)
        except ReferenceNotFound as exc:
            raise click.ClickException(str(exc)) from None
    added = regrade_and_wake(engine, WakeChannel(where.url), assignment, student)
    click.echo(f"{len(added)} submission(s) queued for regrading", err=True)
