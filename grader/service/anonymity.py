"""Anonymous grading: an assignment setting under which the grading pages name a written answer
by its submission ("Submission 17") rather than by its student, and list answers in submission
order, so a grader's view of the student does not colour the score. It hides names on the
grading pages and the notebook view only: graders may still read the API, and a student may
sign their notebook; it is a help against bias, not a secret."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from grader.service.store.schema import grading_settings


def anonymous(connection: Connection, assignment: str) -> bool:
    value = connection.execute(
        select(grading_settings.c.anonymous).where(grading_settings.c.assignment == assignment)
    ).scalar()
    return bool(value)


def set_anonymous(connection: Connection, assignment: str, on: bool) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(grading_settings).values(assignment=assignment, anonymous=int(on))
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[grading_settings.c.assignment], set_={"anonymous": int(on)}
        )
    )


def label(student: str, submission_id: int, hidden: bool) -> str:
    """What the grading pages call an answer's author."""
    return f"Submission {submission_id}" if hidden else student
