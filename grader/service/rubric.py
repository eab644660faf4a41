"""Rubric items: reusable comments with points, per assignment and written part, as graders
know them from Gradescope. Applying items to an answer sets its manual score to their sum
(bounded by 0 and the part's maximum); changing an item's points recomputes every score made
of it, so a rubric fixed halfway through grading is fixed for every answer already graded."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select, update

from grader.service import jobs, manual
from grader.service.store.schema import manual_rubric, manual_scores, rubric_items

MAX_TEXT = 2_000
MAX_APPLIED = 50


class RubricError(manual.ManualError):
    """An item or an application the service will not store (the API's 400)."""


@dataclass(frozen=True)
class Item:
    id: int
    assignment: str
    exercise: str
    text: str
    points: float

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "assignment": self.assignment,
            "exercise": self.exercise,
            "text": self.text,
            "points": self.points,
        }


def _item(row) -> Item:
    return Item(row.id, row.assignment, row.exercise, row.text, row.points)


def items_for(connection: Connection, assignment: str) -> list[Item]:
    rows = connection.execute(
        select(rubric_items).where(rubric_items.c.assignment == assignment).order_by(rubric_items.c.id)
    ).all()
    return [_item(row) for row in rows]


def rubric_texts(engine: Engine, assignment: str) -> dict[int, Item]:
    """The assignment's items by id: what a student's page names for the items applied."""
    with engine.connect() as connection:
        return {i.id: i for i in items_for(connection, assignment)}


def _points(value: object, maximum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RubricError('"points" must be a number')
    if isinstance(value, float) and not math.isfinite(value):
        raise RubricError('"points" must be a finite number')
    if not -maximum <= value <= maximum:
        raise RubricError(f'"points" must be between -{maximum:g} and {maximum:g}')
    return float(value)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RubricError('"text" must be non-empty text')
    if len(value) > MAX_TEXT:
        raise RubricError(f'"text" is longer than {MAX_TEXT} characters')
    try:
        manual.validated_comment(value)
    except manual.ManualError:
        raise RubricError('"text" must be printable text (no control or bidirectional characters)') from None
    return value


def add_item(connection: Connection, assignment: str, exercise: str, body: object, by: str) -> Item:
    maximum = manual.part_maximum(assignment, exercise)
    if not isinstance(body, dict):
        raise RubricError('send JSON: {"text": "...", "points": number}')
    text, points = _text(body.get("text")), _points(body.get("points"), maximum)
    item_id = jobs.inserted_id(
        connection.execute(
            insert(rubric_items).values(
                assignment=assignment,
                exercise=exercise,
                text=text,
                points=points,
                created_by=by,
                created_at=time.time(),
            )
        )
    )
    return Item(item_id, assignment, exercise, text, points)


def change_item(connection: Connection, assignment: str, item_id: int, body: object) -> Item | None:
    """Change an item's text or points (what the body gives); recompute every score made of it.
    None when the assignment has no such item."""
    row = connection.execute(
        select(rubric_items).where(rubric_items.c.id == item_id, rubric_items.c.assignment == assignment)
    ).first()
    if row is None:
        return None
    if not isinstance(body, dict) or not ({"text", "points"} & set(body)):
        raise RubricError('send JSON with "text" and/or "points"')
    maximum = manual.part_maximum(assignment, row.exercise)
    values: dict[str, object] = {}
    if "text" in body:
        values["text"] = _text(body["text"])
    if "points" in body:
        values["points"] = _points(body["points"], maximum)
    connection.execute(update(rubric_items).where(rubric_items.c.id == item_id).values(**values))
    users = connection.execute(
        select(manual_rubric.c.submission_id, manual_rubric.c.exercise).where(
            manual_rubric.c.item_id == item_id
        )
    ).all()
    for user in users:
        score = _sum(connection, user.submission_id, user.exercise, maximum)
        connection.execute(
            update(manual_scores)
            .where(
                manual_scores.c.submission_id == user.submission_id,
                manual_scores.c.exercise == user.exercise,
            )
            .values(score=score)
        )
    return _item(connection.execute(select(rubric_items).where(rubric_items.c.id == item_id)).one())


def _sum(connection: Connection, submission_id: int, exercise: str, maximum: float) -> float:
    points = connection.execute(
        select(rubric_items.c.points)
        .join(manual_rubric, manual_rubric.c.item_id == rubric_items.c.id)
        .where(manual_rubric.c.submission_id == submission_id, manual_rubric.c.exercise == exercise)
    ).scalars()
    return min(maximum, max(0.0, float(sum(points))))


def apply(connection: Connection, submission_id: int, assignment: str, exercise: str, given: object) -> float:
    """Make the answer's rubric exactly these items (ids of this assignment's part); returns the
    score they give. An empty list clears the rubric (the score is then 0)."""
    maximum = manual.part_maximum(assignment, exercise)
    if (
        not isinstance(given, list)
        or len(given) > MAX_APPLIED
        or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**62 for i in given)
    ):
        raise RubricError(f'"rubric" must be a list of at most {MAX_APPLIED} item ids')
    wanted = set(given)
    found = set(
        connection.execute(
            select(rubric_items.c.id).where(
                rubric_items.c.id.in_(wanted),
                rubric_items.c.assignment == assignment,
                rubric_items.c.exercise == exercise,
            )
        ).scalars()
    )
    unknown = sorted(wanted - found)
    if unknown:
        raise RubricError(f"no rubric item {unknown[0]} for {exercise} of {assignment}")
    clear(connection, submission_id, exercise)
    if wanted:
        connection.execute(
            insert(manual_rubric),
            [{"submission_id": submission_id, "exercise": exercise, "item_id": i} for i in sorted(wanted)],
        )
    return _sum(connection, submission_id, exercise, maximum)


def clear(connection: Connection, submission_id: int, exercise: str) -> None:
    """Forget which items made the answer's score (a score entered by hand replaces them)."""
    connection.execute(
        delete(manual_rubric).where(
            manual_rubric.c.submission_id == submission_id, manual_rubric.c.exercise == exercise
        )
    )
