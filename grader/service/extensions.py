"""Extensions: one student's own deadline and late window for one assignment. The student's
uploads are accepted, and their late days counted, against it instead of the assignment's; the
penalty per day and the policy stay the assignment's. Granting one also recomputes the late
days and penalty of the student's earlier submissions of the assignment: an extension is most
often granted after the fact, for work already handed in. An extension only gives more time:
one that would end before the assignment's deadline or late window is refused (400), as is one
for an assignment without a deadline."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from grader.service.deadlines import AssignmentSettings, SettingsError, checked_number, lateness, settings_for
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
    window when they have an extension, but never less than the class's."""
    general = settings_for(connection, assignment)
    own = extension_for(connection, assignment, account_id)
    if own is None or general.deadline is None:
        return general  # a deadline removed after the extension was granted: none for anyone
    # The class's deadline moved later after the extension was granted: it never gives less.
    deadline = max(own.deadline, general.deadline)
    late_until = own.late_until
    closes = general.late_until if general.late_until is not None else general.deadline
    if (late_until if late_until is not None else deadline) < closes:
        late_until = closes
    return replace(general, deadline=deadline, late_until=late_until)


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
    """deadlines.checked_number's rule, and not before 1970."""
    try:
        seconds = checked_number(value, name)
    except SettingsError as exc:
        raise ExtensionError(str(exc)) from None
    if seconds is not None and seconds < 0:
        raise ExtensionError(f'"{name}" is before 1970: not a plausible time')
    return seconds


def _not_shorter(general: AssignmentSettings, deadline: float, late_until: float | None) -> None:
    """An extension only ever gives more time: its deadline is not before the assignment's, and
    its last moment for late work (its late_until, else its deadline) not before the
    assignment's. An assignment without a deadline has nothing to extend."""
    if general.deadline is None:
        raise ExtensionError(
            f"{general.assignment} has no deadline, so there is nothing to extend: set its deadline first"
        )
    if deadline < general.deadline:
        raise ExtensionError(
            f'"deadline" comes before {general.assignment}\'s own ({_utc(general.deadline)}): '
            "an extension may not shorten the class deadline"
        )
    closes = general.late_until if general.late_until is not None else general.deadline
    if (late_until if late_until is not None else deadline) < closes:
        raise ExtensionError(
            f'{general.assignment} takes late work until {_utc(closes)}: give a "late_until" no earlier, '
            "since an extension may not shorten the class's late window"
        )


def _utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def grant(
    connection: Connection,
    assignment: str,
    account_id: str,
    deadline: float,
    late_until: float | None,
    by: str,
) -> Extension:
    """Store (or replace) the extension and recompute the student's earlier late penalties;
    ExtensionError for one that would shorten the assignment's deadline or late window."""
    role = connection.execute(select(accounts.c.role).where(accounts.c.id == account_id)).scalar()
    if role != "student":
        raise UnknownStudent(f"no student {account_id[:100]!r}")
    _not_shorter(settings_for(connection, assignment), deadline, late_until)
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
