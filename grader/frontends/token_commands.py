"""`grader token create|revoke`. A token is printed once on stdout (it is stored only as a hash),
so everything else goes to stderr. Exactly one role per token: `--student ada --instructor`
once made an instructor named ada without a word."""

from __future__ import annotations

import click

from grader.frontends.service_db import Refused, db_option, existing_engine


@click.group()
def token() -> None:
    """Create or revoke access tokens."""


@token.command("create")
@db_option
@click.option("--student", metavar="ID", help="A student's token, for this id.")
@click.option("--grader", "grader_id", metavar="ID", help="A grader's (teaching assistant's) token.")
@click.option(
    "--instructor", is_flag=False, flag_value="", default=None, metavar="ID", help="An instructor's token."
)
def token_create(
    db_url: str | None, student: str | None, grader_id: str | None, instructor: str | None
) -> None:
    """Print a new token for one account: --student ID, --grader ID or --instructor ID (an
    account keeps its first role)."""
    from grader.service.accounts import AccountError, create_token

    given = [
        (role, account_id)
        for role, account_id in (("student", student), ("grader", grader_id), ("instructor", instructor))
        if account_id is not None
    ]
    if len(given) != 1:
        named = ", ".join(f"--{role}" for role, _ in given) or "none"
        raise click.UsageError(
            f"give exactly one of --student ID, --grader ID, --instructor ID (got {named})"
        )
    [(role, account_id)] = given
    account_id = account_id or role  # a bare --instructor: the account "instructor", as before
    engine = existing_engine(db_url)
    try:
        click.echo(create_token(engine, account_id, role))
    except AccountError as exc:
        raise Refused(str(exc)) from None


@token.command("revoke")
@db_option
@click.option(
    "--student",
    "account_id",
    metavar="ID",
    required=True,
    help="The account whose tokens end now (any role).",
)
@click.option("--force", is_flag=True, help="Revoke even the last instructor's tokens.")
def token_revoke(db_url: str | None, account_id: str, force: bool) -> None:
    """Revoke every token of an account (and end its web sessions). An id with no account is an
    error (exit 2), not "0 tokens revoked"; so is revoking the tokens of the last instructor who
    holds one, unless --force (no one could change settings or regrade on the service)."""
    from grader.service.accounts import AccountError, last_instructor, require_account, revoke_tokens

    engine = existing_engine(db_url)
    try:
        require_account(engine, account_id)
    except AccountError as exc:
        raise Refused(str(exc)) from None
    if last_instructor(engine, account_id):
        if not force:
            raise Refused(
                f"{account_id} holds the last instructor token: no one could change settings or regrade "
                "on the service; create another first (grader token create --instructor ID), or --force"
            )
        click.echo(f"warning: no instructor holds a token now ({account_id}'s were the last)", err=True)
    click.echo(f"revoked {revoke_tokens(engine, account_id)} token(s) of {account_id}", err=True)
