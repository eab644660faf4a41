"""The `--db` option every service command shares, and how a command opens its database: it
says which one on stderr (stdout may be data: a token, a CSV), and only `serve` and `db init`
may create one. Any other command refuses with exit 2, naming what it looked for, so a command
run from the wrong folder can no longer "succeed" against a new, empty database."""

from __future__ import annotations

import click
from click.core import ParameterSource
from sqlalchemy import Engine

from grader.service.store.location import Location, locate, missing

DB_HELP = (
    "Database URL: sqlite:///FILE or postgresql://USER:PASS@HOST/DB (also $GRADER_DB). Default: "
    "grader-service.sqlite in the current folder if there is one, else "
    "$XDG_DATA_HOME/ml-grader/grader-service.sqlite (~/.local/share/ml-grader/...)."
)
db_option = click.option("--db", "db_url", default=None, envvar="GRADER_DB", metavar="URL", help=DB_HELP)


class Refused(click.ClickException):
    """A usage problem found after parsing (no database, an unknown id): exit 2, like click's
    own usage errors, and one line without the usage text."""

    exit_code = 2


def location(db_url: str | None) -> Location:
    """Where --db / $GRADER_DB / the default point, for the command being run."""
    context = click.get_current_context(silent=True)
    source = context.get_parameter_source("db_url") if context is not None else None
    named = "$GRADER_DB" if source == ParameterSource.ENVIRONMENT else "--db"
    try:
        return locate(db_url, named)
    except Exception as exc:  # noqa: BLE001 - DatabaseError: an unsupported URL
        raise Refused(str(exc)) from None


def announce(where: Location) -> None:
    click.echo(where.announcement(), err=True)


def _hint(where: Location) -> str:
    """What else the user may have meant, for the two ways the old default surprises."""
    if where.kind == "default":
        return (
            "; a database `grader serve` made in a folder before (grader-service.sqlite there) is "
            "found from that folder, or anywhere with --db sqlite:///PATH/grader-service.sqlite"
        )
    if where.kind == "current-folder":
        return "; an empty grader-service.sqlite here may be one an older grader left: remove it"
    return ""


def existing_engine(db_url: str | None) -> Engine:
    """The engine of a database that exists (migrated if it is older); exit 2 when there is none."""
    return existing(db_url)[1]


def existing(db_url: str | None) -> tuple[Location, Engine]:
    from grader.service.store.database import NOT_A_DATABASE, DatabaseError, open_database

    where = location(db_url)
    announce(where)
    problem = missing(where)
    if problem is not None and NOT_A_DATABASE in problem:  # a file of the user's: never replaced
        raise Refused(f"{problem}: --db or $GRADER_DB choose another database{_hint(where)}")
    if problem is not None:
        raise Refused(
            f"{problem}: `grader serve` or `grader db init` creates it; "
            f"--db or $GRADER_DB choose another database{_hint(where)}"
        )
    try:
        return where, open_database(where.url)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None


def new_or_existing(where: Location) -> Engine:
    """For `serve` and `db init`: the database is created (0600, in folders made 0700) when
    absent, and brought to the newest schema."""
    from grader.service.store.database import DatabaseError, open_database

    try:
        return open_database(where.url)
    except DatabaseError as exc:
        raise click.ClickException(f"{where.describe()}: {exc}") from None


@click.group()
def db() -> None:
    """The service's database."""


@db.command("init")
@db_option
def db_init(db_url: str | None) -> None:
    """Create the database (or bring an existing one to the newest schema) without serving.
    `grader serve` does the same when it starts; every other command needs one to exist."""
    where = location(db_url)
    announce(where)
    existed = missing(where) is None
    new_or_existing(where).dispose()
    click.echo(f"{'up to date' if existed else 'created'}: {where.describe()}", err=True)
