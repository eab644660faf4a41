"""The results that count, per student and assignment: the newest result of each submission,
then the student's latest or best submission (the assignment's policy), with its late penalty.
The API's /results, the dashboard and the CSV export all read them from here."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass

from sqlalchemy import Connection, select

from grader import assignments
from grader.report.safe import csv_cell
from grader.service.deadlines import POLICIES, settings_for
from grader.service.store.schema import accounts, results, submissions


@dataclass(frozen=True)
class Counted:
    student: str
    submission_id: int
    created_at: float
    document: dict
    penalty: float
    generation: int

    @property
    def raw_score(self) -> float:
        return float(self.document["score"])

    @property
    def final_score(self) -> float:
        return round(self.raw_score * (1 - self.penalty), 3)

    def to_json(self) -> dict:
        """The section 5 object, with what the service adds."""
        return {
            **self.document,
            "submission_id": self.submission_id,
            "submitted_at": self.created_at,
            "late_penalty": self.penalty,
            "final_score": self.final_score,
            "generation": self.generation,
        }


def counted(connection: Connection, assignment: str) -> list[Counted]:
    """One entry per student with a graded submission, by student id."""
    policy = settings_for(connection, assignment).policy
    best = _choose(_graded(connection, assignment), policy)
    return [best[s] for s in sorted(best)]


def could_count(connection: Connection, assignment: str, account_id: str) -> set[int]:
    """The ids of the student's submissions that count under either policy (latest and best):
    what retention keeps, so changing the policy later never makes a pruned submission count."""
    graded = _graded(connection, assignment, account_id)
    return {entry.submission_id for policy in POLICIES for entry in _choose(graded, policy).values()}


def _graded(connection: Connection, assignment: str, account_id: str | None = None) -> list[Counted]:
    """The newest result of each graded submission (of one student, or of all), by id."""
    query = (
        select(
            submissions.c.id,
            submissions.c.account_id,
            submissions.c.created_at,
            submissions.c.penalty,
            results.c.generation,
            results.c.document,
        )
        .join(results, results.c.submission_id == submissions.c.id)
        .where(submissions.c.assignment == assignment)
        .order_by(submissions.c.id, results.c.generation)
    )
    if account_id is not None:
        query = query.where(submissions.c.account_id == account_id)
    newest = {row.id: row for row in connection.execute(query).all()}  # the last generation wins
    return [
        Counted(row.account_id, row.id, row.created_at, json.loads(row.document), row.penalty, row.generation)
        for row in newest.values()
    ]


def _choose(graded: list[Counted], policy: str) -> dict[str, Counted]:
    """Each student's latest or best (by final score; a later one wins a tie) submission."""
    best: dict[str, Counted] = {}
    for entry in graded:
        held = best.get(entry.student)
        if held is None or policy == "latest" or entry.final_score >= held.final_score:
            best[entry.student] = entry  # ids increase, so later submissions come later
    return best


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
"""nbgrader's `export` columns, then one per autograded exercise, then the submission id."""


def _when(seconds: float | None) -> str:
    return "" if seconds is None else time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def csv_export(connection: Connection, assignment: str) -> str:
    exercise_ids = [e.name for e in assignments.get(assignment).exercises]
    people = {row.id: row for row in connection.execute(select(accounts)).all()}
    deadline = settings_for(connection, assignment).deadline
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *exercise_ids, "submission_id"])
    for entry in counted(connection, assignment):
        person = people.get(entry.student)
        scores = {e["id"]: e["score"] for e in entry.document["exercises"]}
        writer.writerow(
            [
                assignment,
                _when(deadline),
                _when(entry.created_at),
                csv_cell(entry.student),
                csv_cell(person.last_name if person else ""),
                csv_cell(person.first_name if person else ""),
                csv_cell(person.email if person else ""),
                f"{entry.raw_score:g}",
                f"{entry.raw_score - entry.final_score:g}",
                f"{entry.final_score:g}",
                f"{entry.document['max_score']:g}",
                *(f"{scores[i]:g}" if i in scores else "" for i in exercise_ids),
                entry.submission_id,
            ]
        )
    return buffer.getvalue()
