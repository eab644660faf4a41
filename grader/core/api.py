"""The library core that every front end (the CLI, the nbgrader cell, the grading service)
calls: graders for any assignment, built on first use with one set of options, that grade a
submission given as files or as bytes in memory. No printing, no exit codes, no global state:
everything lives in the GradingCore instance."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from grader import assignments
from grader.core.grade import Grader
from grader.core.options import Options
from grader.intake.notebooks import released_cells
from grader.intake.submissions import Submission
from grader.model.results import SubmissionResult
from grader.plan.reference import load_reference

RELEASED_VARIABLE = "GRADER_RELEASED"
CHECKOUT = Path(__file__).resolve().parent.parent.parent


def released_folder(assignment_id: str) -> Path | None:
    """The released notebooks of an assignment: $GRADER_RELEASED/<id>, else the checkout's
    assignments/<id>/ (absent in an installed copy: then nothing is restored)."""
    base = (
        Path(os.environ[RELEASED_VARIABLE]) if os.environ.get(RELEASED_VARIABLE) else CHECKOUT / "assignments"
    )
    folder = base / assignment_id
    return folder if folder.is_dir() else None


class GradingCore:
    """Graders for every assignment, built on first use, all with the same options and the
    reference found in `solutions` (see grader/plan/reference.py)."""

    def __init__(self, options: Options | None = None, solutions: Path | None = None) -> None:
        self.options = options or Options()
        self.solutions = solutions
        self._graders: dict[str, Grader] = {}

    def grader(self, assignment_id: str) -> Grader:
        """The grader of one assignment: its reference loaded and verified, its plan built.
        Raises UnknownAssignment, ReferenceNotFound or ReferenceBug."""
        if assignment_id not in self._graders:
            assignment = assignments.get(assignment_id)
            reference = load_reference(assignment, self.solutions)
            released = released_cells(released_folder(assignment.id))
            self._graders[assignment_id] = Grader(assignment, reference, self.options, released)
        return self._graders[assignment_id]

    def grade(self, submission: Submission) -> SubmissionResult:
        return self.grader(submission.assignment).grade(submission)

    def grade_files(
        self,
        files: Mapping[str, bytes],
        assignment: str = assignments.DEFAULT,
        student: str = "student",
        label: str | None = None,
    ) -> SubmissionResult:
        """Grade a submission held in memory: file name -> bytes (.ipynb and .py files are
        graded; other files travel with them into the sandbox)."""
        return self.grade(Submission.in_memory(dict(files), student, assignment, label))
