"""The roster as the gradebook: one entry per student of the course for an assignment, those who
never submitted included (a gradebook that leaves them out hides exactly the students an
instructor must chase), with where each stands: `missing` (nothing graded counts), `pending`
(a submission waits or is being graded), `needs-manual` (graded, a written part not yet scored)
or `complete`. The API's GET /roster and the CSV export read it from here."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from grader import assignments
from grader.report.safe import csv_cell
from grader.service import jobs, manual
from grader.service.deadlines import settings_for
from grader.service.extensions import Extension, all_for
from grader.service.results import Counted, counted
from grader.service.store.schema import accounts, results, submissions

MISSING, PENDING, NEEDS_MANUAL, COMPLETE = "missing", "pending", "needs-manual", "complete"


@dataclass(frozen=True)
class Entry:
    student: str
    first_name: str
    last_name: str
    email: str
    submissions: int
    pending: bool
    counted: Counted | None
    extension: Extension | None
    assignment: str

    @property
    def state(self) -> str:
        if self.pending:
            return PENDING
        if self.counted is None:
            return MISSING
        return NEEDS_MANUAL if manual.needs_manual(self.assignment, self.counted.entered) else COMPLETE

    def to_json(self) -> dict:
        entry = self.counted
        totals = entry.totals if entry is not None else manual.summary(self.assignment, {}, None, None, 0.0)
        return {
            "student": self.student,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "submissions": self.submissions,
            "counted": None if entry is None else entry.submission_id,
            "auto_score": None if entry is None else entry.raw_score,
            "manual_score": None if entry is None else entry.manual_score,
            "late_penalty": None if entry is None else entry.penalty,
            "final_score": totals["final_score"],
            "total_score": totals["total_score"],
            "total_max_score": totals["total_max_score"],
            "manual": totals["manual"],
            "state": self.state,
            "extension": None if self.extension is None else self.extension.to_json(),
        }


def gradebook(connection: Connection, assignment: str) -> list[Entry]:
    """Every student account (imported from a roster or given a token), and anyone else who
    submitted this assignment (an instructor trying it out), by id."""
    people = {row.id: row for row in connection.execute(select(accounts)).all()}
    numbers: dict[str, int] = dict(
        connection.execute(
            select(submissions.c.account_id, func.count())
            .where(submissions.c.assignment == assignment)
            .group_by(submissions.c.account_id)
        ).all()
    )
    waiting = _waiting(connection, assignment)
    chosen = {c.student: c for c in counted(connection, assignment)}
    granted = all_for(connection, assignment)
    ids = {i for i, row in people.items() if row.role == "student"} | set(numbers)
    return [
        Entry(
            student,
            people[student].first_name if student in people else "",
            people[student].last_name if student in people else "",
            people[student].email if student in people else "",
            int(numbers.get(student, 0)),
            student in waiting,
            chosen.get(student),
            granted.get(student),
            assignment,
        )
        for student in sorted(ids)
    ]


def _waiting(connection: Connection, assignment: str) -> set[str]:
    """Students with a submission of the assignment queued or being graded for the first time
    (a regrade leaves the result they have in place, as `describe` reports it)."""
    rows = connection.execute(
        select(submissions.c.account_id)
        .join(jobs.jobs, jobs.jobs.c.submission_id == submissions.c.id)
        .where(
            submissions.c.assignment == assignment,
            jobs.jobs.c.generation == 0,
            jobs.jobs.c.status.in_((jobs.QUEUED, jobs.RUNNING)),
            ~select(results.c.id).where(results.c.submission_id == submissions.c.id).exists(),
        )
    ).scalars()
    return set(rows)


CSV_COLUMNS = (
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
)
"""nbgrader's `export` columns (raw_score, score and max_score cover the manual parts, as
nbgrader's do), then one per autograded exercise, the submission id, one per manual part, and
the service's own: auto_score, manual_score, total_score, total_max_score and state."""
TOTAL_COLUMNS = ("auto_score", "manual_score", "total_score", "total_max_score", "state")


def _when(seconds: float | None) -> str:
    return "" if seconds is None else time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def csv_export(connection: Connection, assignment: str) -> str:
    """A row per roster student (non-submitters with empty scores and state `missing`); the
    due date is the student's own when they have an extension."""
    exercise_ids = [e.name for e in assignments.get(assignment).exercises]
    manual_ids = list(manual.parts(assignment))
    deadline = settings_for(connection, assignment).deadline
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *exercise_ids, "submission_id", *manual_ids, *TOTAL_COLUMNS])
    for person in gradebook(connection, assignment):
        entry, data = person.counted, person.to_json()
        due = deadline if person.extension is None else person.extension.deadline
        scores = {e["id"]: e["score"] for e in entry.document["exercises"]} if entry else {}
        total, final = data["total_score"], data["final_score"]
        writer.writerow(
            [
                assignment,
                _when(due),
                _when(entry.created_at if entry else None),
                csv_cell(person.student),
                csv_cell(person.last_name),
                csv_cell(person.first_name),
                csv_cell(person.email),
                _number(total),
                "" if entry is None else _number(round(total - final, 3)),
                _number(final),
                _number(data["total_max_score"]),
                *(_number(scores.get(i)) for i in exercise_ids),
                "" if entry is None else entry.submission_id,
                *(_number(data["manual"][i]["score"]) for i in manual_ids),
                _number(data["auto_score"]),
                _number(data["manual_score"]),
                _number(total),
                _number(data["total_max_score"]),
                data["state"],
            ]
        )
    return buffer.getvalue()
