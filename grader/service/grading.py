"""The grading queue of one manual part: the submission that counts for each student (the one
whose written answers are graded, results.py), whether its part has a score, and which comes
next. Ordered by student id, so two graders walking the same part meet the same order and
"next" is stable while scores are entered; by submission id when the assignment is graded
anonymously (anonymity.py), so the order gives no hint of the name either."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from grader.service import anonymity, manual
from grader.service.results import counted


@dataclass(frozen=True)
class Answered:
    student: str
    submission_id: int
    score: manual.ManualScore | None
    name: str
    """What the pages call the author: the student, or "Submission N" when graded anonymously."""


@dataclass(frozen=True)
class Queue:
    assignment: str
    part: str
    maximum: float
    answers: list[Answered]
    anonymous: bool = False

    @property
    def graded(self) -> int:
        return sum(a.score is not None for a in self.answers)

    def next_after(self, submission_id: int | None = None) -> Answered | None:
        """The first ungraded answer after this submission (wrapping round), other than it."""
        order = self.answers
        if submission_id is not None:
            at = next((k for k, a in enumerate(order) if a.submission_id == submission_id), -1)
            order = order[at + 1 :] + order[: at + 1]
        return next((a for a in order if a.score is None and a.submission_id != submission_id), None)

    def find(self, submission_id: int) -> Answered | None:
        return next((a for a in self.answers if a.submission_id == submission_id), None)


def queue(connection: Connection, assignment: str, part: str) -> Queue:
    """The part's answers to grade; ManualError when `part` is not a manual part of the assignment."""
    maximum = manual.part_maximum(assignment, part)
    hidden = anonymity.anonymous(connection, assignment)
    answers = [
        Answered(
            c.student,
            c.submission_id,
            c.entered.get(part),
            anonymity.label(c.student, c.submission_id, hidden),
        )
        for c in counted(connection, assignment)
    ]
    if hidden:
        answers.sort(key=lambda a: a.submission_id)
    return Queue(assignment, part, maximum, answers, hidden)
