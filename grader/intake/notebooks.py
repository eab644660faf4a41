"""Reading a submission's files into units the sandbox runs: a notebook's code cells in order
(as a kernel would run them), or a .py file whole. Parsing happens here, in the grader, with
json only (nbjson.py): nothing in a file is executed by this module."""

from __future__ import annotations

from pathlib import Path

from grader.intake.files import Refused, printable, read_file
from grader.intake.nbjson import NotebookError, read_cells
from grader.model.unit import Unit

MAX_FILE_BYTES = 5 << 20


class UnreadableSubmission(Exception):
    """A file that cannot be read or parsed; the message names it and says why."""


def _is_nbgrader_test(cell) -> bool:
    """nbgrader's autograded test cells belong to the instructor, not the student: skipped."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def _is_locked_instruction(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("locked")) and not meta.get("solution") and not meta.get("grade")


def released_cells(folder: Path | None) -> dict[str, str]:
    """grade_id -> source of every locked cell of the released notebooks in `folder`, which
    nbgrader restores before it runs a submission; the grader does the same, so both run the
    same code. Empty when there are no released notebooks there."""
    cells: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.ipynb")) if folder else ():
        try:
            notebook = parse_notebook(str(path), path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, UnreadableSubmission):
            continue  # no restoring then, never a failure
        for cell in notebook["cells"]:
            grade_id = cell["metadata"]["nbgrader"].get("grade_id")
            if _is_locked_instruction(cell) and grade_id is not None:
                cells[grade_id] = cell["source"]
    return cells


def _code(cell, restore: dict[str, str]) -> str:
    if _is_locked_instruction(cell):
        return restore.get(cell["metadata"]["nbgrader"].get("grade_id"), cell["source"])
    return cell["source"]


def read_unit(path: Path, restore: dict[str, str] | None = None) -> Unit:
    """A file on disk (never through a link) as a unit; see unit_from_bytes."""
    try:
        data = read_file(path, MAX_FILE_BYTES)
    except Refused as exc:
        raise UnreadableSubmission(str(exc)) from None
    return unit_from_bytes(str(path), data, restore)


def unit_from_bytes(shown: str, data: bytes, restore: dict[str, str] | None = None) -> Unit:
    """A notebook's code cells (nbgrader's test cells skipped, locked cells restored from
    `restore`, grade id -> released source) or a .py file, from its bytes. `shown` is the
    file's name as the student and instructor know it."""
    name = Path(shown).name
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableSubmission(
            f"{printable(shown)}: file is {len(data)} bytes, more than the {MAX_FILE_BYTES}-byte limit"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableSubmission(f"{printable(shown)}: not UTF-8 text") from None
    if name.endswith(".py"):
        return Unit(name, (text,), notebook=False)
    notebook = parse_notebook(shown, text)
    cells = tuple(
        _code(cell, restore or {})
        for cell in notebook.get("cells", [])
        if cell.get("cell_type") == "code" and not _is_nbgrader_test(cell)
    )
    return Unit(name, cells, notebook=True)


def parse_notebook(shown: str, text: str) -> dict:
    """The notebook's cells ({"cells": [...]}, each with text `source` and object `metadata`),
    read by nbjson.py (formats 2 to 4), every value the grader uses checked for its type, so a
    malformed file is an UnreadableSubmission naming it and the problem, never a crash."""
    try:
        return {"cells": read_cells(text)}
    except NotebookError as exc:
        raise UnreadableSubmission(f"{printable(shown)}: not a valid Jupyter notebook ({exc})") from None
