"""`grader roster import`: a token for each new student of a class list. Tokens are stored only
as hashes, so the ones printed before cannot be printed again: a re-run prints the new students'
tokens only, and says on stderr how many students kept theirs (write each run's output to a new
file; `> tokens.csv` over the old file loses those). `--reissue` is the only way to replace
tokens."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from grader.frontends.service_db import db_option, existing_engine


@click.group()
def roster() -> None:
    """Class lists."""


@roster.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--reissue", is_flag=True, help="Revoke every listed student's tokens and print new ones.")
def roster_import(csv_file: Path, db_url: str | None, reissue: bool) -> None:
    """Create a token per new student of FILE.csv and print `id,token` for each on stdout.

    Columns `id` (or `student_id`) and optionally `first_name`, `last_name`, `email`, named in a
    header row; without a header row, those four in that order. Nothing is stored when a line
    is wrong."""
    from grader.service.roster import RosterError, import_roster

    engine = existing_engine(db_url)
    try:
        issued, kept = import_roster(engine, csv_file, reissue)
    except RosterError as exc:
        raise click.ClickException(str(exc)) from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "token"])
    writer.writerows(issued)
    click.echo(out.getvalue(), nl=False)
    if reissue:
        click.echo(f"{len(issued)} token(s) reissued; every earlier token of theirs is revoked", err=True)
    else:
        click.echo(
            f"{len(issued)} new token(s) printed; {len(kept)} student(s) already had a token and "
            "kept it (not printed: tokens are shown only once; --reissue replaces them)",
            err=True,
        )
