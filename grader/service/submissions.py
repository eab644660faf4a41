"""Taking a submission in: the upload checked by the hardened intake, the deadline, the rate
limit, the identical-resubmission check and the storage quota (after retention, retention.py),
then the files, the submission and its first job
stored in one transaction, committed before the caller answers 202, and only then a wake-up.
And reading them back, for their owner or an instructor only."""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select

from grader import assignments
from grader.intake.checking import Checked, in_child
from grader.intake.matching import match_assignment
from grader.intake.uploads import Check, Rejected, Upload, check_graded, screen_uploads
from grader.service import jobs, manual, ratelimit, retention
from grader.service.accounts import Account
from grader.service.deadlines import lateness
from grader.service.extensions import extension_for, student_settings
from grader.service.settings import ServiceSettings
from grader.service.store.database import writing
from grader.service.store.schema import results, submission_files, submissions
from grader.service.wake import WakeChannel


class Closed(Exception):
    """The assignment no longer takes submissions."""


class TooMany(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many submissions: the next is possible in {retry_after} s")
        self.retry_after = retry_after


class UnknownAssignment(Rejected):
    pass


@dataclass(frozen=True)
class Accepted:
    id: int
    job_id: int
    status: str
    duplicate: bool
    assignment: str = ""
    missing: tuple[str, ...] | None = None
    """The assignment's functions the upload does not define; None when not looked at (the same
    files handed in before are not parsed again)."""


def files_digest(upload: Upload) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(upload.files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _identical(
    connection: Connection, account_id: str, assignment: str, digest: str
) -> tuple[int, int, str] | None:
    """The student's earlier submission of the same files, unless the grader failed on it."""
    rows = connection.execute(
        select(submissions.c.id)
        .where(
            submissions.c.account_id == account_id,
            submissions.c.assignment == assignment,
            submissions.c.digest == digest,
        )
        .order_by(submissions.c.id.desc())
    ).all()
    for (submission_id,) in rows:
        job = newest_job(connection, submission_id)
        if job.status != jobs.FAILED:
            return submission_id, job.id, job.status
    return None


def accept(
    engine: Engine,
    settings: ServiceSettings,
    channel: WakeChannel,
    account: Account,
    chosen: str | None,
    uploads: list[tuple[str, bytes]],
    check: Check = in_child,
) -> Accepted:
    """Store one submission; raises Rejected (bad files or assignment), Closed, TooMany or
    retention.OverQuota (a refusal rolls the whole transaction back: no token is taken). The
    costly part, parsing the graded files (`check`, a limited child process by default), comes
    last, once the cheap checks have passed: names, types and sizes, then the deadline, an
    identical earlier submission (accepted before, so not parsed again) and the rate limit.
    `chosen`: the assignment the upload names, or None: the one whose functions it defines
    (intake/matching.py), which also refuses an upload defining none of them."""
    if chosen is not None and chosen not in assignments.ids():
        raise UnknownAssignment(f"unknown assignment {chosen[:60]!r} (known: {', '.join(assignments.ids())})")
    budget = settings.options.budget
    upload = screen_uploads(uploads, budget)
    digest = files_digest(upload)
    size = sum(len(d) for d in upload.files.values())
    with engine.connect() as connection:
        same = _before_parsing(connection, settings, account, chosen, digest)
    if same is not None:
        return same
    match = match_assignment(check_graded(upload, budget, check), chosen)
    assignment = match.assignment
    now = time.time()
    with writing(engine) as connection:
        late = lateness(student_settings(connection, assignment, account.id), now)
        if late.closed:
            raise Closed(f"{assignment} is closed: its deadline has passed")
        again = _identical(connection, account.id, assignment, digest)
        if again is not None:
            return Accepted(again[0], again[1], again[2], True, assignment, match.missing)
        if not account.instructor:
            wait = ratelimit.take(connection, account.id, settings.rate, now)
            if wait is not None:
                raise TooMany(wait)
        keep = settings.storage.keep_submissions - 1  # this upload is the newest one kept
        retention.prune(connection, account.id, assignment, keep, now)
        if not account.instructor:
            retention.check_quota(connection, account.id, assignment, size, settings.storage)
        submission_id = jobs.inserted_id(
            connection.execute(
                insert(submissions).values(
                    account_id=account.id,
                    assignment=assignment,
                    created_at=now,
                    digest=digest,
                    files=json.dumps(sorted(name for name in upload.files)),
                    size=size,
                    late_days=late.late_days,
                    penalty=late.penalty,
                )
            )
        )
        connection.execute(
            insert(submission_files),
            [{"submission_id": submission_id, "name": n, "data": d} for n, d in upload.files.items()],
        )
        job_id = jobs.add_job(connection, submission_id, 0, "submitted", jobs.FIRST_GRADING)
    channel.wake(job_id)
    return Accepted(submission_id, job_id, jobs.QUEUED, False, assignment, match.missing)


@dataclass(frozen=True)
class Screened:
    """What accept would make of an upload, found without storing anything (the upload page
    asks before handing in a partial one)."""

    assignment: str
    missing: tuple[str, ...]
    check: Check | None
    """Replays the parse already made, for accept to reuse; None when nothing was parsed (the
    same files were accepted before: accept answers those at once)."""


def screen(
    engine: Engine,
    settings: ServiceSettings,
    account: Account,
    chosen: str | None,
    uploads: list[tuple[str, bytes]],
    check: Check = in_child,
) -> Screened:
    """accept's checks in its order, up to matching the assignment, and nothing stored or
    queued; raises as accept does."""
    if chosen is not None and chosen not in assignments.ids():
        raise UnknownAssignment(f"unknown assignment {chosen[:60]!r} (known: {', '.join(assignments.ids())})")
    budget = settings.options.budget
    upload = screen_uploads(uploads, budget)
    with engine.connect() as connection:
        same = _before_parsing(connection, settings, account, chosen, files_digest(upload))
    if same is not None:
        return Screened(same.assignment, (), None)
    found = check([(name, upload.files[name]) for name in upload.graded], budget.file_bytes)

    def replay(_files: object, _limit: int) -> Checked:
        return found

    match = match_assignment(check_graded(upload, budget, replay), chosen)
    return Screened(match.assignment, match.missing, replay)


def _before_parsing(
    connection: Connection, settings: ServiceSettings, account: Account, assignment: str | None, digest: str
) -> Accepted | None:
    """What can be answered without parsing: closed (raises; when the upload names its
    assignment), the same files accepted before (returned: resending is free; for an upload
    naming no assignment, the same files under any), an empty bucket (raises TooMany at once,
    so a student out of submissions cannot make the service parse for nothing). Checked again
    when the submission is stored."""
    rules = None if assignment is None else student_settings(connection, assignment, account.id)
    if rules is not None and lateness(rules, time.time()).closed:
        raise Closed(f"{assignment} is closed: its deadline has passed")
    for candidate in [assignment] if assignment is not None else list(assignments.ids()):
        same = _identical(connection, account.id, candidate, digest)
        if same is not None:
            return Accepted(same[0], same[1], same[2], True, candidate)
    if not account.instructor:
        left = ratelimit.allowance(connection, account.id, settings.rate, time.time())
        if left.available < 1:
            raise TooMany(max(1, math.ceil(left.next_in)))
    return None


def newest_job(connection: Connection, submission_id: int):
    return connection.execute(
        select(jobs.jobs)
        .where(jobs.jobs.c.submission_id == submission_id)
        .order_by(jobs.jobs.c.generation.desc())
        .limit(1)
    ).one()


def newest_result(connection: Connection, submission_id: int):
    return connection.execute(
        select(results)
        .where(results.c.submission_id == submission_id)
        .order_by(results.c.generation.desc())
        .limit(1)
    ).first()


def describe(connection: Connection, row, *, with_result: bool = True) -> dict:
    """The API's object for one submission (SPEC section 7), plus added keys."""
    # The jobs are read before the result. A worker marks its job done and stores the result in
    # one transaction, so a job read as done means its result is there for the later read; on
    # PostgreSQL (READ COMMITTED: each statement its own snapshot) the other order could find no
    # result and then a finished job, and report "done" with no result.
    job = newest_job(connection, row.id)
    first = connection.execute(
        select(jobs.jobs).where(jobs.jobs.c.submission_id == row.id, jobs.jobs.c.generation == 0)
    ).one()
    result = newest_result(connection, row.id)
    status = submission_status(first.status, graded=result is not None)
    document = json.loads(result.document) if (with_result and result is not None) else None
    entered = manual.entered_for(connection, [row.id])[row.id]
    extension = extension_for(connection, row.assignment, row.account_id)
    return {
        "id": row.id,
        "student": row.account_id,
        "assignment": row.assignment,
        "status": status,
        "position": jobs.position(connection, first.id) if status == jobs.QUEUED else 0,
        "result": document,
        "created_at": row.created_at,
        "files": json.loads(row.files),
        "late_days": round(row.late_days, 4),
        "penalty": row.penalty,
        "generation": None if result is None else result.generation,
        "regrading": _regrading(job, result),
        "changes": json.loads(result.changes) if result is not None and result.changes else [],
        "error": first.error if first.status == jobs.FAILED else None,
        "pruned_at": row.pruned_at,
        "extension": None if extension is None else extension.to_json(),
        **manual.summary(
            row.assignment,
            entered,
            None if result is None else result.score,
            None if result is None else result.max_score,
            row.penalty,
        ),
    }


def submission_status(first_job_status: str, graded: bool) -> str:
    """A submission's status: done once any result is stored (a regrade in progress, or a first
    grading that failed and was regraded since, does not hide the result the student already
    has), else its first job's."""
    return jobs.DONE if graded else first_job_status


def _regrading(job, result) -> bool:
    """A regrade is under way while the newest job is a regrade that has no result yet. Judged
    from the generations, not only the job's status: on PostgreSQL each statement of `describe`
    sees its own snapshot, so a job read just before a worker commits may still say running
    while the result read just after is already there."""
    done = -1 if result is None else result.generation
    return job.generation > max(0, done) and job.status in (jobs.QUEUED, jobs.RUNNING)


def settled(engine: Engine, submission_ids: list[int]) -> set[int]:
    """Which of these submissions have a final status (`submission_status`, as `describe`
    gives it). Two queries for any number of submissions, so a front end answers all its
    waiting requests with two queries a tick; the jobs are read first, as in `describe`."""
    if not submission_ids:
        return set()
    with engine.connect() as connection:
        first_jobs = connection.execute(
            select(jobs.jobs.c.submission_id, jobs.jobs.c.status).where(
                jobs.jobs.c.submission_id.in_(submission_ids), jobs.jobs.c.generation == 0
            )
        ).all()
        graded = set(
            connection.execute(
                select(results.c.submission_id).where(results.c.submission_id.in_(submission_ids))
            ).scalars()
        )
    return {
        row.submission_id
        for row in first_jobs
        if submission_status(row.status, row.submission_id in graded) in jobs.FINAL
    }


def describe_visible(engine: Engine, account: Account, submission_id: int) -> dict | None:
    """What `describe` says of the submission, if this account may see it; None otherwise (the
    front ends answer 404 either way, so another student's id looks like no submission)."""
    with engine.connect() as connection:
        row = visible_row(connection, account, submission_id)
        return None if row is None else describe(connection, row)


def visible_row(connection: Connection, account: Account, submission_id: int):
    """The submission if this account may see it (its owner, a grader or an instructor), else
    None."""
    query = select(submissions).where(submissions.c.id == submission_id)
    if not account.staff:
        query = query.where(submissions.c.account_id == account.id)
    return connection.execute(query).first()


def listing(
    connection: Connection, account: Account, assignment: str | None = None, limit: int = 500
) -> list:
    query = select(submissions).order_by(submissions.c.id.desc()).limit(limit)
    if not account.staff:
        query = query.where(submissions.c.account_id == account.id)
    if assignment:
        query = query.where(submissions.c.assignment == assignment)
    return list(connection.execute(query).all())
