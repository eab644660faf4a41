"""Accounts, bearer tokens and web sessions. A token is 32 random bytes shown once; only its
sha256 is stored (it is random, so a fast hash suffices), and a revoked token stops working at
once. A web login exchanges a token for a session cookie (also stored hashed) and a CSRF token
that every form post must carry."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update

from grader.service.store.database import writing
from grader.service.store.schema import accounts, sessions, tokens

PREFIX = "gt_"
ROLES = ("student", "grader", "instructor")
"""A grader is a teaching assistant: reads every submission and enters manual scores, nothing
else (settings, tokens and regrades stay with instructors)."""
ACCOUNT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}")
"""A student or instructor id: letters, digits and `_.@+-`, at most 100 characters (ids end up
in URLs, CSV cells and file names, so nothing else is accepted)."""


class AccountError(Exception):
    pass


@dataclass(frozen=True)
class Account:
    id: str
    role: str
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.id

    @property
    def instructor(self) -> bool:
        return self.role == "instructor"

    @property
    def staff(self) -> bool:
        """Reads every submission and enters manual scores: a grader or an instructor."""
        return self.role in ("grader", "instructor")


@dataclass(frozen=True)
class Session:
    account: Account
    csrf: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def check_id(account_id: str) -> str:
    if not ACCOUNT_ID.fullmatch(account_id):
        raise AccountError(f"not a valid id (letters, digits and _.@+-, at most 100): {account_id[:100]!r}")
    return account_id


def ensure_account(
    connection: Connection, account_id: str, role: str, first: str = "", last: str = "", email: str = ""
) -> None:
    """Create the account, or update its names and e-mail; its role never changes."""
    check_id(account_id)
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    row = connection.execute(select(accounts.c.role).where(accounts.c.id == account_id)).first()
    if row is None:
        connection.execute(
            insert(accounts).values(
                id=account_id,
                role=role,
                first_name=first,
                last_name=last,
                email=email,
                created_at=time.time(),
            )
        )
    elif row.role != role:
        raise AccountError(f"{account_id} is already a{'n' if row.role == 'instructor' else ''} {row.role}")
    elif first or last or email:
        connection.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(first_name=first, last_name=last, email=email)
        )


def issue_token(connection: Connection, account_id: str) -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    connection.execute(
        insert(tokens).values(account_id=account_id, digest=digest(token), created_at=time.time())
    )
    return token


def create_token(engine: Engine, account_id: str, role: str) -> str:
    with writing(engine) as connection:
        ensure_account(connection, account_id, role)
        return issue_token(connection, account_id)


def revoke_tokens(engine: Engine, account_id: str) -> int:
    """Revoke every token of the account and end its web sessions; returns how many tokens."""
    with writing(engine) as connection:
        return revoke_in(connection, account_id)


def revoke_in(connection: Connection, account_id: str) -> int:
    """revoke_tokens within a transaction the caller holds (a roster reissued all at once)."""
    now = time.time()
    done = connection.execute(
        update(tokens)
        .where(tokens.c.account_id == account_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount
    connection.execute(update(sessions).where(sessions.c.account_id == account_id).values(expires_at=now))
    return done


def _account(connection: Connection, account_id: str) -> Account:
    row = connection.execute(select(accounts).where(accounts.c.id == account_id)).one()
    return Account(row.id, row.role, row.first_name, row.last_name)


def authenticate(engine: Engine, token: str) -> Account | None:
    """The account a bearer token belongs to, or None (unknown, malformed or revoked)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    with engine.connect() as connection:
        row = connection.execute(
            select(tokens.c.account_id, tokens.c.revoked_at).where(tokens.c.digest == digest(token))
        ).first()
        if row is None or row.revoked_at is not None:
            return None
        return _account(connection, row.account_id)


def start_session(engine: Engine, token: str, hours: float) -> tuple[str, Session] | None:
    """Exchange a token for a session: (cookie value, session), or None for a bad token."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    cookie, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), time.time()
    with writing(engine) as connection:
        row = connection.execute(
            select(tokens.c.id, tokens.c.account_id, tokens.c.revoked_at).where(
                tokens.c.digest == digest(token)
            )
        ).first()
        if row is None or row.revoked_at is not None:
            return None
        connection.execute(update(tokens).where(tokens.c.id == row.id).values(last_used_at=now))
        connection.execute(
            insert(sessions).values(
                digest=digest(cookie),
                account_id=row.account_id,
                token_id=row.id,
                csrf=csrf,
                created_at=now,
                expires_at=now + hours * 3600,
            )
        )
        return cookie, Session(_account(connection, row.account_id), csrf)


def find_session(engine: Engine, cookie: str) -> Session | None:
    """The live session a cookie names: not expired, and its token not revoked."""
    if not cookie or len(cookie) > 200:
        return None
    with engine.connect() as connection:
        row = connection.execute(
            select(sessions.c.account_id, sessions.c.csrf, sessions.c.expires_at, tokens.c.revoked_at)
            .join(tokens, tokens.c.id == sessions.c.token_id)
            .where(sessions.c.digest == digest(cookie))
        ).first()
        if row is None or row.expires_at <= time.time() or row.revoked_at is not None:
            return None
        return Session(_account(connection, row.account_id), row.csrf)


def end_session(engine: Engine, cookie: str) -> None:
    with writing(engine) as connection:
        connection.execute(
            update(sessions).where(sessions.c.digest == digest(cookie)).values(expires_at=time.time())
        )


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode())


def require_account(engine: Engine, account_id: str) -> Account:
    """The account, or AccountError naming the id and the nearest known ones: a typo
    (`adaa`) must not quietly revoke or regrade nobody."""
    import difflib

    with engine.connect() as connection:
        row = connection.execute(select(accounts).where(accounts.c.id == account_id)).first()
        if row is not None:
            return Account(row.id, row.role, row.first_name, row.last_name)
        known = list(connection.execute(select(accounts.c.id)).scalars())
    near = difflib.get_close_matches(account_id, known, n=3)
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    raise AccountError(f"no account {account_id[:100]!r} in this database{hint}")


def last_instructor(engine: Engine, account_id: str) -> bool:
    """Whether revoking this account's tokens would leave no instructor with a live token (no
    one could then change settings or regrade on the service until `grader token create
    --instructor` is run where the database is)."""
    live = select(tokens.c.account_id).join(accounts, accounts.c.id == tokens.c.account_id)
    live = live.where(accounts.c.role == "instructor", tokens.c.revoked_at.is_(None))
    with engine.connect() as connection:
        holders = set(connection.execute(live).scalars())
    return account_id in holders and holders == {account_id}
