"""Per-assignment settings an instructor chooses: the deadline, how long late work is accepted
and its penalty, and which submission counts (the latest or the best). A late submission loses
`penalty_per_day` of its score for every started day after the deadline, at most all of it."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sqlalchemy import Connection, insert, select, update

from grader.service.store.schema import assignment_settings

POLICIES = ("latest", "best")
DAY = 86400.0


@dataclass(frozen=True)
class AssignmentSettings:
    assignment: str
    deadline: float | None = None
    late_until: float | None = None
    penalty_per_day: float = 0.0
    policy: str = "latest"

    def to_json(self) -> dict:
        return {
            "assignment": self.assignment,
            "deadline": self.deadline,
            "late_until": self.late_until,
            "penalty_per_day": self.penalty_per_day,
            "policy": self.policy,
        }


@dataclass(frozen=True)
class Lateness:
    closed: bool
    late_days: float
    penalty: float
    """The fraction of the score taken off."""


class SettingsError(ValueError):
    pass


LARGEST = 1e11
"""Seconds after 1970 past the year 5000: a typo (milliseconds?), never a deadline."""


def checked_number(value: object, name: str, unit: str = "seconds since 1970") -> float | None:
    """The one rule for a number a client sends in a setting or an extension (the API's and
    extensions.py's): null stays None; otherwise an int or float (not a bool), finite, of size
    at most LARGEST. SettingsError names `name`, its `unit` and the rule it broke."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f'"{name}" must be a number ({unit}), or null')
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(f'"{name}" must be a finite number ({unit})')
    if abs(value) > LARGEST:
        raise SettingsError(f'"{name}" is not a plausible value ({unit}): larger than {LARGEST:g}')
    return float(value)


def settings_for(connection: Connection, assignment: str) -> AssignmentSettings:
    row = connection.execute(
        select(assignment_settings).where(assignment_settings.c.assignment == assignment)
    ).first()
    if row is None:
        return AssignmentSettings(assignment)
    return AssignmentSettings(assignment, row.deadline, row.late_until, row.penalty_per_day, row.policy)


def validated(settings: AssignmentSettings) -> AssignmentSettings:
    if settings.policy not in POLICIES:
        raise SettingsError(f"policy must be one of {', '.join(POLICIES)}")
    if not 0 <= settings.penalty_per_day <= 1:
        raise SettingsError("penalty_per_day is a fraction of the score, between 0 and 1")
    if settings.late_until is not None and (
        settings.deadline is None or settings.late_until < settings.deadline
    ):
        raise SettingsError("late_until needs a deadline, and must not come before it")
    return settings


def store_settings(connection: Connection, settings: AssignmentSettings) -> None:
    values = validated(settings).to_json()
    del values["assignment"]
    table = assignment_settings
    if not connection.execute(
        update(table).where(table.c.assignment == settings.assignment).values(**values)
    ).rowcount:
        connection.execute(insert(table).values(assignment=settings.assignment, **values))


def change_settings(
    connection: Connection, assignment: str, changes: dict[str, object]
) -> AssignmentSettings:
    """Change only the settings named in `changes`, keeping every other as stored (a later
    `set --deadline` once reset the late window, the penalty and the policy to their defaults)."""
    current = settings_for(connection, assignment)
    unknown = set(changes) - (set(current.to_json()) - {"assignment"})
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
    changed = replace(current, **changes)  # type: ignore[arg-type]
    store_settings(connection, changed)
    return changed


def lateness(settings: AssignmentSettings, now: float) -> Lateness:
    if settings.deadline is None or now <= settings.deadline:
        return Lateness(False, 0.0, 0.0)
    if settings.late_until is None or now > settings.late_until:
        return Lateness(True, (now - settings.deadline) / DAY, 1.0)
    days = (now - settings.deadline) / DAY
    return Lateness(False, days, min(1.0, math.ceil(days) * settings.penalty_per_day))
