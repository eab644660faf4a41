"""A grading worker (`grader worker`, or started by `grader serve --workers N`): claims a job,
grades the stored files with the library core (in the sandbox, as `grader grade` does), and
records the result while it holds the lease. A heartbeat thread renews the lease and reports
the worker's host, load and state for the dashboard. SIGTERM (or SIGINT) drains it: the job in
hand is finished and nothing new is taken. Database outages are waited out, not fatal."""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from grader import assignments
from grader.intake.submissions import Submission
from grader.run import scratch
from grader.run.sandbox import SandboxRunners
from grader.run.sandbox.spares import SANDBOX_PREFIX, SpareWorkers
from grader.service import jobs
from grader.service.references import REFERENCE_PREFIX, References
from grader.service.settings import ServiceSettings
from grader.service.store.database import open_database, wait_for_schema, writing
from grader.service.store.schema import submission_files, submissions, workers
from grader.service.wake import WakeChannel

log = logging.getLogger("grader.service")


@dataclass(frozen=True)
class StoredSubmission:
    submission: Submission
    assignment: str


def submission_label(names: list[str]) -> str:
    """What `submission` says in a stored result: the uploaded file names."""
    return " + ".join(names)


def load_submission(engine: Engine, submission_id: int) -> StoredSubmission:
    with engine.connect() as connection:
        row = connection.execute(select(submissions).where(submissions.c.id == submission_id)).one()
        if row.pruned_at is not None:  # regrade skips these: nothing left to grade
            raise RuntimeError(f"submission {submission_id}'s files were pruned (retention)")
        files = connection.execute(
            select(submission_files.c.name, submission_files.c.data).where(
                submission_files.c.submission_id == submission_id
            )
        ).all()
    contents = {name: bytes(data) for name, data in files}
    label = submission_label(json.loads(row.files))
    return StoredSubmission(
        Submission.in_memory(contents, row.account_id, row.assignment, label), row.assignment
    )


class Worker:
    def __init__(
        self, settings: ServiceSettings, engine: Engine | None = None, parent_pid: int | None = None
    ) -> None:
        self.settings = settings
        self.parent_pid = parent_pid
        """Started by `grader serve`, which passes its own pid: drain when that process is gone
        (SIGKILLed, say), including when it was gone before this worker had started up."""
        self.engine = engine or open_database(settings.db_url, upgrade=False)
        self.host = socket.gethostname()
        self.id = f"{self.host}:{os.getpid()}:{secrets.token_hex(3)}"
        self.channel = WakeChannel(settings.db_url, poll_seconds=settings.poll_seconds)
        self.references = References(self.engine, settings.options)
        self.spares = SpareWorkers()
        """The next student's sandbox process, started while this worker waits (it holds
        nothing of anyone's until it is taken), as `grader grade` does in a batch."""
        self.draining = threading.Event()
        self.stopped = threading.Event()
        self.claim: jobs.Claim | None = None
        self.graded = 0

    # -- lifecycle ---------------------------------------------------------------------------
    def run(self) -> None:
        wait_for_schema(self.engine)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.draining.set())
        self._report("idle", insert_row=True)
        if self._orphaned():
            self.draining.set()
        beat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        beat.start()
        for prefix in (SANDBOX_PREFIX, REFERENCE_PREFIX):
            for left in scratch.sweep(prefix):
                log.info("removed %s, left by a process that was killed", left)
        self._warm()
        log.info("worker %s started", self.id)
        try:
            while not self.draining.is_set():
                if not self.step():
                    self.channel.wait()
        finally:
            self.stopped.set()
            self._report("stopped")
            self.spares.close()
            self.references.close()
            log.info("worker %s stopped after %d gradings", self.id, self.graded)

    def step(self) -> bool:
        """Claim and grade one job; False when there was nothing to do (or the database is away)."""
        try:
            claim = jobs.claim(self.engine, self.id, self.settings.leases, self.settings.rate)
        except Exception as exc:  # noqa: BLE001 - e.g. PostgreSQL restarting: wait and look again
            log.warning("cannot claim a job (%s: %s)", exc.__class__.__name__, str(exc)[:200])
            time.sleep(1.0)
            return False
        if claim is None:
            return False
        self.claim = claim
        self._report("busy")
        try:
            self._grade(claim)
        finally:
            self.claim = None
            self._report("draining" if self.draining.is_set() else "idle")
        return True

    # -- grading -----------------------------------------------------------------------------
    def _warm(self) -> None:
        """Load each published reference and build its plan now, so the first student to
        submit does not wait for it."""
        for assignment_id in assignments.ids():
            try:
                self.references.core(assignment_id)[1].grader(assignment_id)
            except Exception as exc:  # noqa: BLE001 - reported again, per job, if it persists
                log.warning("%s cannot be graded yet: %s", assignment_id, str(exc)[:200])
        self.spares.prime()

    def _grade(self, claim: jobs.Claim) -> None:
        try:
            stored = load_submission(self.engine, claim.submission_id)
            digest, core = self.references.core(stored.assignment)
            runners = SandboxRunners(core.options.limits, self.spares)
            result = core.grader(stored.assignment).grade(stored.submission, runners)
        except Exception as exc:  # noqa: BLE001 - the grader's own failure, never the student's
            log.exception("job %s failed", claim.job_id)
            why = _failure(exc)
            self._settle(lambda: jobs.fail(self.engine, claim, self.id, why, self.settings.rate))
            return
        self._settle(lambda: jobs.record(self.engine, claim, self.id, result.to_json(), digest))
        self.graded += 1

    def _settle(self, write) -> None:
        """Write the outcome, retrying through a database outage for as long as the lease might
        still be ours; a lost lease means another worker has the job, so the outcome is dropped."""
        deadline = time.monotonic() + 10 * self.settings.leases.lease_seconds
        while True:
            try:
                write()
                return
            except jobs.LeaseLost as exc:
                log.warning("%s; result dropped", exc)
                return
            except Exception as exc:  # noqa: BLE001
                if time.monotonic() > deadline:
                    log.error("giving up on recording a result (%s); the job will be graded again", exc)
                    return
                log.warning("cannot record a result yet (%s)", exc.__class__.__name__)
                time.sleep(1.0)

    # -- heartbeat ---------------------------------------------------------------------------
    def _heartbeat(self) -> None:
        while not self.stopped.wait(self.settings.leases.heartbeat_seconds):
            if self._orphaned():
                self.draining.set()
            claim = self.claim
            try:
                if claim is not None and not jobs.renew(self.engine, claim, self.id, self.settings.leases):
                    log.warning("lost the lease on job %s", claim.job_id)
                state = "busy" if claim else ("draining" if self.draining.is_set() else "idle")
                self._report(state)
            except Exception as exc:  # noqa: BLE001
                log.warning("heartbeat failed (%s)", exc.__class__.__name__)

    def _orphaned(self) -> bool:
        return self.parent_pid is not None and os.getppid() != self.parent_pid

    def _report(self, state: str, insert_row: bool = False) -> None:
        now = time.time()
        values = {
            "last_heartbeat": now,
            "state": state,
            "job_id": self.claim.job_id if self.claim else None,
            "load": os.getloadavg()[0],
            "graded": self.graded,
        }
        try:
            with writing(self.engine) as connection:
                if insert_row:
                    connection.execute(
                        insert(workers).values(
                            id=self.id, host=self.host, pid=os.getpid(), started_at=now, **values
                        )
                    )
                else:
                    connection.execute(update(workers).where(workers.c.id == self.id).values(**values))
        except Exception as exc:  # noqa: BLE001
            log.warning("cannot report the worker's state (%s)", exc.__class__.__name__)


def _failure(exc: Exception) -> str:
    return (
        f"the grader failed on this submission ({exc.__class__.__name__}); the staff can see why in the logs"
    )
