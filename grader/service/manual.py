"""Manual grading: the scores graders enter for an assignment's written answers (the parts
`grader grade` lists with status `manual` and never counts), with who entered them and when.

A manual score belongs to a submission, not to one of its results: a regrade adds a result and
leaves the scores alone, since the written answer it judged has not changed. A new submission
starts ungraded, since its written answer may have. Totals are the autograded score plus the
manual scores entered so far; the late penalty applies to the total (SPEC 7.1)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from grader import assignments
from grader.service.store.schema import manual_rubric, manual_scores

MAX_COMMENT = 20_000
"""Characters of a comment: a long paragraph of feedback, not a place to store files."""


class ManualError(ValueError):
    """A score the service will not store; the message says why (the API's 400)."""


@dataclass(frozen=True)
class ManualScore:
    exercise: str
    score: float
    comment: str
    by: str
    at: float
    rubric: tuple[int, ...] = ()
    """The rubric items the score was made of (rubric.py); empty for a score entered by hand."""

    def to_json(self, max_score: float) -> dict:
        return {
            "score": self.score,
            "max_score": max_score,
            "comment": self.comment,
            "by": self.by,
            "at": self.at,
            "rubric": list(self.rubric),
        }


Entered = dict[str, ManualScore]
"""The manual scores of one submission entered so far, by exercise id."""


def parts(assignment: str) -> dict[str, float]:
    """The manually graded parts of an assignment (its written questions) and their maxima."""
    return {q.name: float(q.points) for q in assignments.get(assignment).written}


def entered_for(connection: Connection, submission_ids: Iterable[int]) -> dict[int, Entered]:
    """The manual scores of these submissions, in one query."""
    ids = sorted(set(submission_ids))
    found: dict[int, Entered] = {i: {} for i in ids}
    if not ids:
        return found
    rows = connection.execute(select(manual_scores).where(manual_scores.c.submission_id.in_(ids))).all()
    applied: dict[tuple[int, str], list[int]] = {}
    for item in connection.execute(
        select(manual_rubric).where(manual_rubric.c.submission_id.in_(ids)).order_by(manual_rubric.c.item_id)
    ).all():
        applied.setdefault((item.submission_id, item.exercise), []).append(item.item_id)
    for row in rows:
        found[row.submission_id][row.exercise] = ManualScore(
            row.exercise,
            row.score,
            row.comment,
            row.graded_by,
            row.graded_at,
            tuple(applied.get((row.submission_id, row.exercise), ())),
        )
    return found


def manual_json(assignment: str, entered: Entered) -> dict[str, dict]:
    """An entry for every manual part of the assignment; `score` (and the rest) null until a
    grader enters it."""
    out: dict[str, dict] = {}
    for name, points in parts(assignment).items():
        score = entered.get(name)
        if score is None:
            out[name] = {
                "score": None,
                "max_score": points,
                "comment": None,
                "by": None,
                "at": None,
                "rubric": [],
            }
        else:
            out[name] = score.to_json(points)
    return out


def manual_total(assignment: str, entered: Entered) -> float:
    """The manual scores entered so far, for the parts the assignment still has."""
    known = parts(assignment)
    return sum(s.score for name, s in entered.items() if name in known)


def summary(
    assignment: str, entered: Entered, auto_score: float | None, auto_max: float | None, penalty: float
) -> dict:
    """The keys SPEC 7.1 adds to a submission object: `manual`, `total_score` (null until the
    autograder has scored it), `total_max_score` and `final_score` (the total after the penalty)."""
    maximum = (auto_max if auto_max is not None else assignments.get(assignment).total_points) + sum(
        parts(assignment).values()
    )
    total = None if auto_score is None else auto_score + manual_total(assignment, entered)
    return {
        "manual": manual_json(assignment, entered),
        "total_score": None if total is None else round(total, 3),
        "total_max_score": maximum,
        "final_score": None if total is None else round(total * (1 - penalty), 3),
    }


def needs_manual(assignment: str, entered: Entered) -> bool:
    """Whether a manual part of the assignment has no score yet."""
    return any(name not in entered for name in parts(assignment))


def part_maximum(assignment: str, exercise: str) -> float:
    """The points of a manual part of the assignment; ManualError for anything else."""
    known = parts(assignment)
    if exercise not in known:
        listed = ", ".join(known) or "none"
        raise ManualError(
            f"{exercise[:100]!r} is not a manually graded part of {assignment} (its manual parts: {listed})"
        )
    return known[exercise]


def validated(assignment: str, exercise: str, body: object) -> tuple[float, str]:
    """(score, comment) from a client's JSON, or ManualError: `exercise` must be a manual part
    of the assignment, `score` a finite number (not a bool) in [0, the part's maximum], and
    `comment` text of at most MAX_COMMENT characters."""
    maximum = part_maximum(assignment, exercise)
    if not isinstance(body, dict):
        raise ManualError('send JSON: {"score": number, "comment": "text"}')
    score = body.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise ManualError('"score" must be a number')
    if isinstance(score, float) and not math.isfinite(score):
        raise ManualError('"score" must be a finite number')
    if not 0 <= score <= maximum:
        raise ManualError(f'"score" must be between 0 and {maximum:g} for {exercise}')
    return float(score), validated_comment(body.get("comment", ""))


def validated_comment(comment: object) -> str:
    """Text of at most MAX_COMMENT characters, without control characters but line breaks and
    tabs, nor bidirectional controls; None means no comment."""
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise ManualError('"comment" must be text')
    if len(comment) > MAX_COMMENT:
        raise ManualError(f'"comment" is longer than {MAX_COMMENT} characters')
    if not _printable_lines(comment):
        raise ManualError(
            '"comment" must be printable text (lines and tabs allowed; no bidirectional controls)'
        )
    return comment


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks, embeddings, overrides and isolates that reorder the text shown around them (U+202E
makes "exe.txt" read "txt.exe"): refused like control characters, wherever a grader's text is
checked here (comments and rubric items both)."""


def _printable_lines(text: str) -> bool:
    """No control characters but line breaks and tabs, no bidirectional controls, and no lone
    surrogates (JSON may carry both; PostgreSQL stores neither a NUL nor invalid UTF-8)."""
    return all(
        c in "\n\r\t" or (unicodedata.category(c) not in ("Cc", "Cs") and c not in BIDI_CONTROLS)
        for c in text
    )


def enter(
    connection: Connection, submission_id: int, exercise: str, score: float, comment: str, by: str, at: float
) -> None:
    """Store a score, replacing an earlier one of the same part (the later grader wins): one
    upsert, so two graders saving at once never fail on the key."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    values = {"score": score, "comment": comment, "graded_by": by, "graded_at": at}
    statement = dialect.insert(manual_scores).values(submission_id=submission_id, exercise=exercise, **values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[manual_scores.c.submission_id, manual_scores.c.exercise], set_=values
        )
    )
