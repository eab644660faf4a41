"""The per-student token bucket, kept in the database (so every front end behind a load
balancer sees the same one): `burst` submissions at once, then one per `refill_seconds`; the
answer to one too many says when the next is possible (Retry-After)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from grader.service.settings import RateLimit
from grader.service.store.schema import rate_buckets


@dataclass(frozen=True)
class Allowance:
    available: int
    """Submissions possible right now."""
    next_in: float
    """Seconds until one more is possible (0 when the bucket is full)."""


def _level(connection: Connection, account_id: str, rate: RateLimit, now: float, lock: bool) -> float:
    query = select(rate_buckets.c.tokens, rate_buckets.c.updated_at).where(
        rate_buckets.c.account_id == account_id
    )
    if lock and connection.dialect.name != "sqlite":
        query = query.with_for_update()
    row = connection.execute(query).first()
    if row is None:
        return float(rate.burst)
    return min(float(rate.burst), row.tokens + max(0.0, now - row.updated_at) / rate.refill_seconds)


def _store(connection: Connection, account_id: str, level: float, now: float) -> None:
    changed = connection.execute(
        update(rate_buckets)
        .where(rate_buckets.c.account_id == account_id)
        .values(tokens=level, updated_at=now)
    ).rowcount
    if not changed:
        connection.execute(insert(rate_buckets).values(account_id=account_id, tokens=level, updated_at=now))


def allowance(connection: Connection, account_id: str, rate: RateLimit, now: float) -> Allowance:
    level = _level(connection, account_id, rate, now, lock=False)
    next_in = 0.0 if level >= rate.burst else (1 - (level % 1)) * rate.refill_seconds
    return Allowance(int(level), next_in)


def take(connection: Connection, account_id: str, rate: RateLimit, now: float) -> int | None:
    """Take one submission from the bucket (inside the caller's write transaction): None when
    taken, else the whole seconds until one is available."""
    level = _level(connection, account_id, rate, now, lock=True)
    if level < 1:
        return max(1, math.ceil((1 - level) * rate.refill_seconds))
    _store(connection, account_id, level - 1, now)
    return None


def give_back(connection: Connection, account_id: str, rate: RateLimit, now: float) -> None:
    """Return a submission the grader failed on: the student is not charged for our bug."""
    level = _level(connection, account_id, rate, now, lock=True)
    _store(connection, account_id, min(float(rate.burst), level + 1), now)
