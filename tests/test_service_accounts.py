"""Tokens and sessions of one account never touch another's (grader/service/accounts.py), at the
store level without HTTP: revoking one account's tokens ends its sessions alone, a login stamps
its own token alone, a second revocation revokes nothing, and the account comes back with its
names. Fast, so the mutation run reaches these rules (docs/mutation.md)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from grader.service.accounts import (
    Account,
    authenticate,
    create_token,
    ensure_account,
    find_session,
    revoke_tokens,
    start_session,
)
from grader.service.store.database import open_database, writing
from grader.service.store.schema import tokens

pytestmark = pytest.mark.one_database


@pytest.fixture(scope="module")
def engine(database_url):
    engine = open_database(database_url)
    with writing(engine) as connection:
        ensure_account(connection, "ann", "student", "Ann", "Lee")
        ensure_account(connection, "bob", "student", "Bob", "Ray")
    yield engine
    engine.dispose()


def last_used(engine, account_id: str) -> list:
    with engine.connect() as connection:
        query = select(tokens.c.last_used_at).where(tokens.c.account_id == account_id).order_by(tokens.c.id)
        return [row.last_used_at for row in connection.execute(query)]


def test_a_token_names_its_account_with_its_names(engine):
    token = create_token(engine, "ann", "student")
    assert authenticate(engine, token) == Account("ann", "student", "Ann", "Lee")
    started = start_session(engine, token, hours=1.0)
    assert started is not None and started[1].account == Account("ann", "student", "Ann", "Lee")


def test_a_login_stamps_its_own_token_and_no_other(engine):
    ann, bob = create_token(engine, "ann", "student"), create_token(engine, "bob", "student")
    before = last_used(engine, "bob")
    assert start_session(engine, ann, hours=1.0) is not None
    assert last_used(engine, "bob") == before, "bob's tokens untouched"
    assert last_used(engine, "ann")[-1] is not None
    assert authenticate(engine, bob) is not None


def test_revoking_one_accounts_tokens_ends_its_sessions_alone(engine):
    ann, bob = create_token(engine, "ann", "student"), create_token(engine, "bob", "student")
    ann_cookie, ann_session = start_session(engine, ann, hours=1.0)
    bob_cookie, bob_session = start_session(engine, bob, hours=1.0)
    assert revoke_tokens(engine, "ann") >= 1
    assert authenticate(engine, ann) is None and find_session(engine, ann_cookie) is None
    assert authenticate(engine, bob) == Account("bob", "student", "Bob", "Ray"), "bob's token still works"
    assert find_session(engine, bob_cookie) == bob_session, "and so does his session"
    assert revoke_tokens(engine, "ann") == 0, "a revoked token is not revoked again"
