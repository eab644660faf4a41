"""What a student wrote, read back from a submission's stored files for the grading pages: the
written answer of a manual part (the notebook's markdown cell whose nbgrader grade_id is the
part's name, as `grader author build` writes it) and a notebook's cells for the read-only view.
The files are read as the intake reads them (nbjson): hostile JSON is a sentence, never a crash."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from grader import assignments
from grader.intake.nbjson import NotebookError, read_cells
from grader.service.stored_files import Pruned, file_of, files_of


@dataclass(frozen=True)
class Answer:
    text: str | None
    """The answer's Markdown; None when there is none to show (`problem` says why)."""
    notebook: str | None
    """The stored file it was read from, for a link to the whole notebook."""
    problem: str = ""


def _basename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def notebook_cells(data: bytes) -> list[dict]:
    """A notebook's cells ({"cell_type", "source", "metadata"}); NotebookError when it is not one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookError("not UTF-8 text") from None
    return read_cells(text)


def written_answer(connection: Connection, row, part: str) -> Answer:
    """The written answer to `part` in the submission (a `submissions` row): first in the
    notebook the question belongs to, then in any other notebook of the upload."""
    question = next((q for q in assignments.get(row.assignment).written if q.name == part), None)
    wanted = f"{question.notebook}.ipynb" if question is not None else ""
    notebooks = [f.name for f in files_of(connection, row) if f.name.endswith(".ipynb")]
    notebooks.sort(key=lambda name: _basename(name) != wanted)
    problems: list[str] = []
    for name in notebooks:
        try:
            data = file_of(connection, row, name)
            cells = notebook_cells(data) if data is not None else []
        except Pruned:
            return Answer(None, name, "the submission's files were removed (retention)")
        except NotebookError as exc:
            problems.append(f"{name}: {exc}")
            continue
        texts = [
            c["source"]
            for c in cells
            if c["cell_type"] == "markdown" and c["metadata"]["nbgrader"].get("grade_id") == part
        ]
        if texts:
            return Answer("\n\n".join(texts), name)
    if not notebooks:
        return Answer(None, None, "the submission has no notebook (written answers are in notebooks)")
    why = "; ".join(problems) or f"no answer cell for {part} in {', '.join(notebooks)}"
    return Answer(None, notebooks[0], why)
