"""A bound on what one student's uploads may hold of the database, per assignment: a quota on
the stored file bytes, and retention of superseded uploads. Without them one token could add
20 MiB a minute for ever (the rate limit refills).

Retention removes the stored files of a student's older submissions, and only those: the row,
every result and the history stay (scores never change), and `pruned_at` says the files are
gone. It never touches a submission still waiting or being graded, one that has no result yet
(a failed grading may be regraded after a fix), the newest `keep_submissions`, or one that
counts under either policy (latest or best). Pruned submissions are not regraded: they have
nothing left to grade. Both run inside `accept`'s write transaction, pruning first, so a
student whose older uploads are graded always has room again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select, update

from grader.service.jobs import QUEUED, RUNNING
from grader.service.results import could_count
from grader.service.settings import Storage
from grader.service.store.schema import accounts, jobs, results, submission_files, submissions

MIB = 1 << 20


class OverQuota(Exception):
    """This upload would take the student past the storage quota; the message says by how much."""


@dataclass(frozen=True)
class Usage:
    stored_bytes: int
    submissions: int
    """Submissions whose files are stored."""


def usage(connection: Connection, account_id: str, assignment: str) -> Usage:
    row = connection.execute(
        select(func.coalesce(func.sum(submissions.c.size), 0), func.count()).where(
            submissions.c.account_id == account_id,
            submissions.c.assignment == assignment,
            submissions.c.pruned_at.is_(None),
        )
    ).one()
    return Usage(int(row[0]), int(row[1]))


def prune(connection: Connection, account_id: str, assignment: str, keep: int, now: float) -> list[int]:
    """Remove the stored files of the student's submissions that retention lets go, all but the
    newest `keep` of them (`accept` passes one less than the setting: the upload it is taking
    in is the newest); returns their ids.

    On PostgreSQL the student's stored submissions are locked first (FOR UPDATE, in id order,
    as `jobs.regrade` locks them), so a regrade queued at the same moment either comes first
    (and its job then protects the submission) or finds it pruned and skips it."""
    query = (
        select(submissions.c.id)
        .where(
            submissions.c.account_id == account_id,
            submissions.c.assignment == assignment,
            submissions.c.pruned_at.is_(None),
        )
        .order_by(submissions.c.id)
    )
    if connection.dialect.name != "sqlite":
        query = query.with_for_update()
    stored = list(connection.execute(query).scalars())
    older = stored[: max(0, len(stored) - max(0, keep))]
    if not older:
        return []
    busy = set(
        connection.execute(
            select(jobs.c.submission_id).where(
                jobs.c.submission_id.in_(older), jobs.c.status.in_((QUEUED, RUNNING))
            )
        ).scalars()
    )
    graded = set(
        connection.execute(
            select(results.c.submission_id).where(results.c.submission_id.in_(older))
        ).scalars()
    )
    keeping = could_count(connection, assignment, account_id)
    doomed = [i for i in older if i in graded and i not in busy and i not in keeping]
    if doomed:
        connection.execute(delete(submission_files).where(submission_files.c.submission_id.in_(doomed)))
        connection.execute(update(submissions).where(submissions.c.id.in_(doomed)).values(pruned_at=now))
    return doomed


def check_quota(
    connection: Connection, account_id: str, assignment: str, adding: int, storage: Storage
) -> None:
    """Raise OverQuota when `adding` more bytes would pass the quota. On PostgreSQL the account
    row is locked for the rest of the transaction, so two uploads at once cannot both fit (FOR NO
    KEY UPDATE: rows that merely refer to the account, a login's session, are not held up)."""
    if connection.dialect.name != "sqlite":
        lock = select(accounts.c.id).where(accounts.c.id == account_id).with_for_update(key_share=True)
        connection.execute(lock)
    used = usage(connection, account_id, assignment)
    if used.stored_bytes + adding > storage.quota_bytes:
        raise OverQuota(
            f"storage quota reached: your stored files for {assignment} may take "
            f"{_mib(storage.quota_bytes)}; {_mib(used.stored_bytes)} are used by {used.submissions} "
            f"submission(s) and this upload is {_mib(adding)}. The files of older graded "
            f"submissions beyond your last {storage.keep_submissions} are removed when you next "
            "submit (their results stay): wait for those still being graded, or upload less."
        )


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"
