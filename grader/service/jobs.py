"""The job table is the queue's source of truth. A worker claims the first queued job (or one
whose lease ran out) in one write transaction (row-locked with SKIP LOCKED on PostgreSQL,
serialised by SQLite's write lock), renews its lease while it grades, and records the result
only while it still holds the lease: a job is never recorded twice, and a job whose worker died
is taken up again. The wake channel (wake.py) only tells idle workers to look."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, update

from grader.service import ratelimit
from grader.service.settings import Leases, RateLimit
from grader.service.store.database import writing
from grader.service.store.schema import jobs, results, submissions, workers

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FINAL = (DONE, FAILED)
"""Statuses a submission keeps: nothing more will happen to it unless it is regraded."""
FIRST_GRADING, REGRADE = 0, 10
"""Priorities: a student waiting for a first result goes before any regrade."""


@dataclass(frozen=True)
class Claim:
    job_id: int
    attempt: int
    submission_id: int
    generation: int


class LeaseLost(Exception):
    """Another worker holds the job now (this one was too slow to renew): drop the result."""


def inserted_id(result) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def add_job(connection: Connection, submission_id: int, generation: int, reason: str, priority: int) -> int:
    return inserted_id(
        connection.execute(
            insert(jobs).values(
                submission_id=submission_id,
                generation=generation,
                reason=reason,
                priority=priority,
                status=QUEUED,
                attempts=0,
                enqueued_at=time.time(),
            )
        )
    )


def _claimable(now: float):
    return or_(jobs.c.status == QUEUED, and_(jobs.c.status == RUNNING, jobs.c.lease_expires < now))


def claim(engine: Engine, worker_id: str, leases: Leases, rate: RateLimit) -> Claim | None:
    """The next job for this worker, or None when there is nothing to do."""
    while True:
        now = time.time()
        with writing(engine) as connection:
            query = select(jobs).where(_claimable(now)).order_by(jobs.c.priority, jobs.c.id).limit(1)
            if connection.dialect.name != "sqlite":
                query = query.with_for_update(skip_locked=True)
            job = connection.execute(query).first()
            if job is None:
                return None
            if job.status == RUNNING and job.attempts >= leases.max_attempts:
                why = f"the grading worker stopped {job.attempts} times while grading this submission"
                _finish(connection, job.id, FAILED, why, rate, now)
                continue
            connection.execute(
                update(jobs)
                .where(jobs.c.id == job.id)
                .values(
                    status=RUNNING,
                    attempts=job.attempts + 1,
                    lease_owner=worker_id,
                    lease_expires=now + leases.lease_seconds,
                    started_at=now,
                )
            )
            return Claim(job.id, job.attempts + 1, job.submission_id, job.generation)


def release_workers(engine: Engine, host: str, pids: list[int]) -> int:
    """The workers with these pids on this host were killed: their running jobs' leases end now
    (claimable at once, their attempts counted as for any worker that died), and the dashboard
    shows them stopped. Returns how many jobs were released."""
    with writing(engine) as connection:
        ids = list(
            connection.execute(
                select(workers.c.id).where(workers.c.host == host, workers.c.pid.in_(pids))
            ).scalars()
        )
        if not ids:
            return 0
        connection.execute(update(workers).where(workers.c.id.in_(ids)).values(state="stopped", job_id=None))
        return connection.execute(
            update(jobs)
            .where(jobs.c.status == RUNNING, jobs.c.lease_owner.in_(ids))
            .values(lease_expires=0.0)
        ).rowcount


def _held(claim: Claim, worker_id: str):
    return and_(
        jobs.c.id == claim.job_id,
        jobs.c.lease_owner == worker_id,
        jobs.c.attempts == claim.attempt,
        jobs.c.status == RUNNING,
    )


def renew(engine: Engine, claim: Claim, worker_id: str, leases: Leases) -> bool:
    """Extend the lease; False when the job is no longer this worker's."""
    with writing(engine) as connection:
        changed = connection.execute(
            update(jobs)
            .where(_held(claim, worker_id))
            .values(lease_expires=time.time() + leases.lease_seconds)
        ).rowcount
    return changed == 1


def previous_document(connection: Connection, submission_id: int, generation: int) -> dict | None:
    row = connection.execute(
        select(results.c.document)
        .where(results.c.submission_id == submission_id, results.c.generation < generation)
        .order_by(results.c.generation.desc())
        .limit(1)
    ).first()
    return json.loads(row.document) if row else None


def changes(before: dict | None, after: dict) -> list[dict]:
    """What a regrade changed, per exercise: the score and status before and after."""
    if before is None:
        return []
    old = {e["id"]: e for e in before["exercises"]}
    out = []
    for e in after["exercises"]:
        was = old.get(e["id"])
        if was is None or (was["score"], was["status"]) != (e["score"], e["status"]):
            out.append(
                {
                    "id": e["id"],
                    "before": None if was is None else {"score": was["score"], "status": was["status"]},
                    "after": {"score": e["score"], "status": e["status"]},
                }
            )
    return out


def record(engine: Engine, claim: Claim, worker_id: str, document: dict, reference_digest: str) -> None:
    """Store the result and mark the job done, only while this worker holds it."""
    now = time.time()
    with writing(engine) as connection:
        if (
            connection.execute(
                update(jobs)
                .where(_held(claim, worker_id))
                .values(status=DONE, finished_at=now, lease_owner=None, lease_expires=None)
            ).rowcount
            != 1
        ):
            raise LeaseLost(f"job {claim.job_id} is no longer held by {worker_id}")
        before = previous_document(connection, claim.submission_id, claim.generation)
        connection.execute(
            insert(results).values(
                job_id=claim.job_id,
                submission_id=claim.submission_id,
                generation=claim.generation,
                score=document["score"],
                max_score=document["max_score"],
                document=json.dumps(document, sort_keys=True),
                reference_digest=reference_digest,
                changes=json.dumps(changes(before, document)) if claim.generation else None,
                worker=worker_id,
                created_at=now,
            )
        )


def _finish(
    connection: Connection, job_id: int, status: str, error: str, rate: RateLimit, now: float
) -> None:
    connection.execute(
        update(jobs)
        .where(jobs.c.id == job_id)
        .values(status=status, error=error[:2000], finished_at=now, lease_owner=None, lease_expires=None)
    )
    row = connection.execute(
        select(submissions.c.account_id, jobs.c.generation)
        .join(submissions, submissions.c.id == jobs.c.submission_id)
        .where(jobs.c.id == job_id)
    ).one()
    if row.generation == 0:
        ratelimit.give_back(connection, row.account_id, rate, now)


def fail(engine: Engine, claim: Claim, worker_id: str, error: str, rate: RateLimit) -> None:
    """The grader itself failed (not the student's code, which the sandbox contains)."""
    with writing(engine) as connection:
        if connection.execute(select(jobs.c.id).where(_held(claim, worker_id))).first() is None:
            raise LeaseLost(f"job {claim.job_id} is no longer held by {worker_id}")
        _finish(connection, claim.job_id, FAILED, error, rate, time.time())


def position(connection: Connection, job_id: int) -> int:
    """1 for the next job to be claimed; 0 when the job is not waiting."""
    job = connection.execute(select(jobs.c.status, jobs.c.priority).where(jobs.c.id == job_id)).first()
    if job is None or job.status != QUEUED:
        return 0
    ahead = connection.execute(
        select(func.count())
        .select_from(jobs)
        .where(
            jobs.c.status == QUEUED,
            or_(jobs.c.priority < job.priority, and_(jobs.c.priority == job.priority, jobs.c.id < job_id)),
        )
    ).scalar_one()
    return int(ahead) + 1


def queue_counts(connection: Connection) -> dict[str, int]:
    rows = connection.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status)).all()
    counts = {QUEUED: 0, RUNNING: 0, DONE: 0, FAILED: 0}
    counts.update({status: int(n) for status, n in rows})
    return counts


def regrade(engine: Engine, assignment: str, account_id: str | None, reason: str) -> list[int]:
    """A new job (the next generation) for each submission of the assignment (or one
    student's), unless its newest job is still waiting (that one will use the newest reference
    anyway) or its files were pruned (retention.py: nothing left to grade, its results stay);
    returns the new job ids. Old results stay beside the new. On PostgreSQL the submissions are
    locked in id order, as retention locks them, so a prune and a regrade never cross."""
    with writing(engine) as connection:
        query = select(submissions.c.id).where(
            submissions.c.assignment == assignment, submissions.c.pruned_at.is_(None)
        )
        if account_id is not None:
            query = query.where(submissions.c.account_id == account_id)
        if connection.dialect.name != "sqlite":
            query = query.with_for_update()
        added = []
        for (submission_id,) in connection.execute(query.order_by(submissions.c.id)).all():
            latest = connection.execute(
                select(jobs.c.generation, jobs.c.status)
                .where(jobs.c.submission_id == submission_id)
                .order_by(jobs.c.generation.desc())
                .limit(1)
            ).one()
            if latest.status == QUEUED:
                continue
            added.append(add_job(connection, submission_id, latest.generation + 1, reason, REGRADE))
        return added
