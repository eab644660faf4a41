"""The results that count, per student and assignment: the newest result of each submission,
then the student's latest or best submission (the assignment's policy), with its late penalty
and the manual scores entered for it. The API's /results, the dashboard, the roster and the
CSV export (gradebook.py) all read them from here.

Which submission is best is decided on the autograded score (after its penalty) alone: manual
scores are entered on the submission that counts, and entering them must not make another
submission count instead (its written answers were never graded)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from grader.service import manual
from grader.service.deadlines import POLICIES, settings_for
from grader.service.store.schema import results, submissions


@dataclass(frozen=True)
class Counted:
    student: str
    submission_id: int
    created_at: float
    document: dict
    penalty: float
    generation: int
    assignment: str = "hw1"
    entered: manual.Entered = field(default_factory=dict)

    @property
    def raw_score(self) -> float:
        """The autograded score, before any penalty."""
        return float(self.document["score"])

    @property
    def auto_final(self) -> float:
        """The autograded score after the penalty: what decides which submission is best."""
        return round(self.raw_score * (1 - self.penalty), 3)

    @property
    def manual_score(self) -> float:
        return manual.manual_total(self.assignment, self.entered)

    @property
    def totals(self) -> dict:
        """`manual`, `total_score`, `total_max_score` and `final_score` (SPEC 7.1)."""
        return manual.summary(
            self.assignment, self.entered, self.raw_score, float(self.document["max_score"]), self.penalty
        )

    @property
    def final_score(self) -> float:
        """The total (autograded plus manual) after the penalty."""
        return round((self.raw_score + self.manual_score) * (1 - self.penalty), 3)

    def to_json(self) -> dict:
        """The section 5 object, with what the service adds."""
        return {
            **self.document,
            "submission_id": self.submission_id,
            "submitted_at": self.created_at,
            "late_penalty": self.penalty,
            "generation": self.generation,
            **self.totals,
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
    entered = manual.entered_for(connection, newest)
    return [
        Counted(
            row.account_id,
            row.id,
            row.created_at,
            json.loads(row.document),
            row.penalty,
            row.generation,
            assignment,
            entered[row.id],
        )
        for row in newest.values()
    ]


def _choose(graded: list[Counted], policy: str) -> dict[str, Counted]:
    """Each student's latest or best (by autograded score after the penalty; a later one wins a
    tie) submission."""
    best: dict[str, Counted] = {}
    for entry in graded:
        held = best.get(entry.student)
        if held is None or policy == "latest" or entry.auto_final >= held.auto_final:
            best[entry.student] = entry  # ids increase, so later submissions come later
    return best
