"""What a front end lets one account spend on uploads that may be refused. Checking an upload
costs the service CPU whether it is accepted or not, and only accepted ones are charged by the
rate limit; so (1) an account has at most one upload being read and checked at a time on this
front end (another at the same moment is a 429 at once, before its body is read), and (2) after
FREE_REJECTIONS refusals in a row, each further refusal costs a submission from the account's
bucket like an accepted upload, so refusals cannot be sent for ever; an accepted upload ends the
run. Both are kept in this process's memory: with several front ends an account may have one
upload in flight on each, and its run of refusals is counted on each (the charge itself is in
the database, shared)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from grader.service import ratelimit
from grader.service.accounts import Account
from grader.service.settings import RateLimit
from grader.service.store.database import writing
from grader.service.web.errors import ApiError

FREE_REJECTIONS = 3
"""Refused uploads in a row that cost nothing: a student fixing a file name or a broken notebook
should not lose submissions to it."""
BUSY_RETRY_SECONDS = 2
"""Retry-After of a second upload sent while the first is checked (a check takes well under
a second for any well-formed upload, at most the checking child's limits for a hostile one)."""


class UploadGate:
    def __init__(self, free_rejections: int = FREE_REJECTIONS) -> None:
        self.free_rejections = free_rejections
        self._lock = threading.Lock()
        self._busy: set[str] = set()
        self._refused_in_a_row: dict[str, int] = {}

    @contextmanager
    def one_at_a_time(self, account: Account) -> Iterator[None]:
        """Hold the account's one upload slot; raises ApiError 429 when it is held already."""
        with self._lock:
            if account.id in self._busy:
                raise ApiError(
                    429,
                    "another upload of yours is being checked; send this one when it has been answered",
                    {"Retry-After": str(BUSY_RETRY_SECONDS)},
                )
            self._busy.add(account.id)
        try:
            yield
        finally:
            with self._lock:
                self._busy.discard(account.id)

    def accepted(self, account: Account) -> None:
        with self._lock:
            self._refused_in_a_row.pop(account.id, None)

    def refused(self, account: Account) -> bool:
        """Count one more refusal in a row; True when it is to be charged."""
        with self._lock:
            count = self._refused_in_a_row.get(account.id, 0) + 1
            self._refused_in_a_row[account.id] = count
        return count > self.free_rejections and not account.instructor


def charge(engine: Engine, account: Account, rate: RateLimit) -> None:
    """Take a submission from the account's bucket for a refused upload (none left: nothing to
    take; the next upload is answered 429 before it is read)."""
    with writing(engine) as connection:
        ratelimit.take(connection, account.id, rate, time.time())
