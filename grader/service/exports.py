"""Gradebook exports that Canvas and Moodle import as they are, beside the nbgrader-style CSV
(gradebook.csv_export, unchanged). One row per roster student, those who never submitted
included (their grade cell empty: an LMS leaves an empty cell ungraded rather than scoring 0).
The grade is the final score: autograded plus the manual scores entered so far, after any late
penalty. What identifies a student is the roster's id (and, for Moodle, the e-mail the roster
gives): see docs/exports.md.

Every text cell goes through csv_cell (a leading = + - @ neutralised, control characters
replaced): names, e-mails and the instructor's column title are text someone else typed."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Connection

from grader.intake.files import printable
from grader.report.safe import csv_cell
from grader.service.gradebook import Entry, gradebook

FORMATS = ("nbgrader", "canvas", "moodle")
CANVAS_MATCH = ("sis_user_id", "sis_login_id")
"""Which of Canvas's identifying columns carries the roster id (the other stays empty)."""
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = ("ID number", "Email address", "First name", "Last name")
MAX_TITLE = 200


class ExportError(ValueError):
    """A column title or option the export will not use; the message says why (the API's 400)."""


def column_title(given: str | None, assignment: str) -> str:
    """The grade column's title: the assignment's id unless the instructor names one (Canvas
    matches `Title (canvas id)` to an existing assignment; any other title makes a new one)."""
    if given is None or not given.strip():
        return assignment
    title = given.strip()
    if len(title) > MAX_TITLE or printable(title) != title:
        raise ExportError(f"the column title must be printable text of at most {MAX_TITLE} characters")
    return title


def _grade(entry: Entry) -> str:
    final = entry.to_json()["final_score"]
    return "" if final is None else f"{final:g}"


def _sortable_name(entry: Entry) -> str:
    """Canvas's `Student` column: `Last, First` as Canvas exports it, else the id."""
    names = ", ".join(n for n in (entry.last_name, entry.first_name) if n)
    return names or entry.student


def canvas_csv(connection: Connection, assignment: str, title: str, match: str = "sis_user_id") -> str:
    """Canvas's gradebook import layout: Student, ID, SIS User ID, SIS Login ID, Section, then
    the assignment's column; a `Points Possible` row first, as Canvas's own export has. The
    roster id goes in the column `match` names; Canvas's numeric ID stays empty (we do not know
    it), so Canvas matches on the SIS id."""
    if match not in CANVAS_MATCH:
        raise ExportError(f"match must be one of {', '.join(CANVAS_MATCH)}")
    people = gradebook(connection, assignment)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*CANVAS_COLUMNS, csv_cell(title)])
    maximum = people[0].to_json()["total_max_score"] if people else None
    writer.writerow(["    Points Possible", "", "", "", "", "" if maximum is None else f"{maximum:g}"])
    for entry in people:
        ids = [csv_cell(entry.student), ""] if match == "sis_user_id" else ["", csv_cell(entry.student)]
        writer.writerow([csv_cell(_sortable_name(entry)), "", *ids, "", _grade(entry)])
    return buffer.getvalue()


def moodle_csv(connection: Connection, assignment: str, title: str) -> str:
    """Moodle's `Import grades from CSV` takes any columns and asks which identifies a user:
    map `ID number` to the user's ID number (the roster id) or `Email address` to their e-mail,
    and the grade column to the grade item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*MOODLE_COLUMNS, csv_cell(title)])
    for entry in gradebook(connection, assignment):
        writer.writerow(
            [
                csv_cell(entry.student),
                csv_cell(entry.email),
                csv_cell(entry.first_name),
                csv_cell(entry.last_name),
                _grade(entry),
            ]
        )
    return buffer.getvalue()
