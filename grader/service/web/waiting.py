"""Long polling: `GET .../submissions/{id}?wait=S` answers when the submission is done or failed,
or after S seconds, whichever comes first. A student's page and `submit()` learn of their result
the moment it is stored, with one request instead of one a second.

All the requests waiting on one front end are answered by one check a tick (`settled`, two
queries for any number of submissions), so waiting costs the database the same for one student
as for a whole class. Nothing here is state another front end needs: a waiting request holds
only its own connection, and any front end can answer any request. Limits keep it cheap under
attack: a wait is at most MAX_WAIT seconds, an account may hold PER_ACCOUNT waits at once and a
front end WAITERS in all; past either limit the request is answered at once, as without `wait`."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from grader.service.submissions import settled

MAX_WAIT = 30.0
"""Seconds a request may wait; below common proxies' 60-second idle timeouts."""
TICK = 0.05
"""Seconds between checks: the most a waiting request learns of its result late."""
PER_ACCOUNT = 8
WAITERS = 1024


class Waiting:
    """The requests waiting on this front end, answered by one check a tick."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._waiting: dict[int, set[asyncio.Future]] = {}
        self._accounts: Counter[str] = Counter()
        self._watcher: asyncio.Task | None = None
        self._closing = False

    async def until_settled(self, submission_id: int, account_id: str, seconds: float) -> None:
        """Return when the submission is done or failed, after `seconds`, or at once when this
        account or this front end already holds as many waits as it may."""
        if self._closing or seconds <= 0:
            return
        if self._accounts[account_id] >= PER_ACCOUNT or self._accounts.total() >= WAITERS:
            return
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(submission_id, set()).add(future)
        self._accounts[account_id] += 1
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self._watch())
        try:
            await asyncio.wait_for(future, timeout=min(seconds, MAX_WAIT))
        except TimeoutError:
            pass
        finally:
            self._accounts[account_id] -= 1
            if self._accounts[account_id] <= 0:
                del self._accounts[account_id]
            futures = self._waiting.get(submission_id)
            if futures is not None:
                futures.discard(future)
                if not futures:
                    del self._waiting[submission_id]

    def release(self) -> None:
        """Answer every waiting request now, and new ones at once: the server is stopping, and
        it waits for open requests (a 30-second wait would hold a restart that long)."""
        self._closing = True
        for futures in self._waiting.values():
            for future in futures:
                if not future.done():
                    future.set_result(None)

    async def _watch(self) -> None:
        """Check every waited submission each tick while any request waits."""
        while self._waiting:
            started = time.monotonic()
            try:
                done = await run_in_threadpool(settled, self.engine, sorted(self._waiting))
            except Exception:  # noqa: BLE001 - the database may be restarting: waiters time out
                done = set()
            for submission_id in done:
                for future in self._waiting.get(submission_id, ()):
                    if not future.done():
                        future.set_result(None)
            await asyncio.sleep(max(0.0, TICK - (time.monotonic() - started)))
