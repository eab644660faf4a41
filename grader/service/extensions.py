"""Extensions: one student's own deadline and late window for one assignment. The student's
uploads are accepted, and their late days counted, against it instead of the assignment's; the
penalty per day and the policy stay the assignment's. Granting one also recomputes the late
days and penalty of the student's earlier submissions of the assignment: an extension is most
often granted after the fact, for work already handed in."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from grader.service.deadlines import AssignmentSettings, lateness, settings_for
from grader.service.store.schema import accounts, extensions, submissions


class ExtensionError(ValueError):
    """An extension the service will not store; the message says why (the API's 400)."""


class UnknownStudent(ExtensionError):
    """No account has this id (the API's 404, naming it)."""


@dataclass(frozen=True)
class Extension:
    deadline: float
    late_until: float | None
    by: str
    at: float

    def to_json(self) -> dict:
        return {"deadline": self.deadline, "late_until": self.late_until, "by": self.by, "at": self.at}


def extension_for(connection: Connection, assignment: str, account_id: str) -> Extension | None:
    row = connection.execute(
        select(extensions).where(extensions.c.assignment == assignment, extensions.c.account_id == account_id)
    ).first()
    return None if row is None else Extension(row.deadline, row.late_until, row.granted_by, row.granted_at)


def all_for(connection: Connection, assignment: str) -> dict[str, Extension]:
    """Every extension of the assignment, by student id."""
    rows = connection.execute(select(extensions).where(extensions.c.assignment == assignment)).all()
    return {r.account_id: Extension(r.deadline, r.late_until, r.granted_by, r.granted_at) for r in rows}


def student_settings(connection: Connection, assignment: str, account_id: str) -> AssignmentSettings:
    """The assignment's settings as they apply to this student: their own deadline and late
    window when they have an extension."""
    general = settings_for(connection, assignment)
    own = extension_for(connection, assignment, account_id)
    if own is None:
        return general
    return replace(general, deadline=own.deadline, late_until=own.late_until)


def validated(body: object) -> tuple[float, float | None]:
    """(deadline, late_until) from a client's JSON: finite seconds since 1970, late_until null or
    not before the deadline."""
    if not isinstance(body, dict):
        raise ExtensionError('send JSON: {"deadline": seconds since 1970, "late_until": seconds or null}')
    unknown = sorted(set(body) - {"deadline", "late_until"})
    if unknown:  # a typo ("late_untill") must not silently leave the student without a late window
        raise ExtensionError(f"unknown field(s): {', '.join(str(k)[:40] for k in unknown[:5])}")
    deadline, late_until = _time(body.get("deadline"), "deadline"), body.get("late_until")
    if deadline is None:
        raise ExtensionError('"deadline" is required (seconds since 1970)')
    late = _time(late_until, "late_until")
    if late is not None and late < deadline:
        raise ExtensionError('"late_until" must not come before "deadline"')
    return deadline, late


def _time(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ExtensionError(f'"{name}" must be a number of seconds since 1970, or null')
    if isinstance(value, float) and not math.isfinite(value):
        raise ExtensionError(f'"{name}" must be a finite number of seconds since 1970')
    if abs(value) > 1e11:  # after the year 5000: a typo (milliseconds?), not a deadline
        raise ExtensionError(f'"{name}" is not a plausible time')
    return float(value)


def grant(
    connection: Connection,
    assignment: str,
    account_id: str,
    deadline: float,
    late_until: float | None,
    by: str,
) -> Extension:
    """Store (or replace) the extension and recompute the student's earlier late penalties."""
    role = connection.execute(select(accounts.c.role).where(accounts.c.id == account_id)).scalar()
    if role != "student":
        raise UnknownStudent(f"no student {account_id[:100]!r}")
    now = time.time()
    values = {"deadline": deadline, "late_until": late_until, "granted_by": by, "granted_at": now}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(extensions).values(assignment=assignment, account_id=account_id, **values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[extensions.c.assignment, extensions.c.account_id], set_=values
        )
    )
    _recount(connection, assignment, account_id)
    return Extension(deadline, late_until, by, now)


def revoke(connection: Connection, assignment: str, account_id: str) -> bool:
    """Remove the extension (the assignment's deadline applies again); whether there was one."""
    gone = connection.execute(
        delete(extensions).where(extensions.c.assignment == assignment, extensions.c.account_id == account_id)
    ).rowcount
    if gone:
        _recount(connection, assignment, account_id)
    return bool(gone)


def _recount(connection: Connection, assignment: str, account_id: str) -> None:
    """Late days and penalty of the student's submissions, against the settings now in force."""
    rules = student_settings(connection, assignment, account_id)
    rows = connection.execute(
        select(submissions.c.id, submissions.c.created_at).where(
            submissions.c.account_id == account_id, submissions.c.assignment == assignment
        )
    ).all()
    for row in rows:
        late = lateness(rules, row.created_at)
        connection.execute(
            update(submissions)
            .where(submissions.c.id == row.id)
            .values(late_days=late.late_days, penalty=late.penalty)
        )
