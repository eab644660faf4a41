"""Rebuilds the bundled example submissions from the released notebooks filled with the
student code in examples/students/<assignment>/*.py, in nbgrader's
submitted/<student>/<assignment>/ layout. A student file that says it "builds on the base
solution" holds only that student's own versions; they are appended to the assignment's
tests/submissions/<assignment>/base.py, the later definition winning as in a notebook.

- examples/submitted/: for `grader grade` (plus dan's truncated notebook, kept by hand);
- course/submitted/: the nbgrader course's sample submissions (nbgrader's autograde puts
  selfcheck.py back from the course source, so it is not kept here).

Run with the project's python: .venv/bin/python examples/make_examples.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's grader, from any folder

from grader import assignments  # noqa: E402
from grader.authoring.fill import fill_file  # noqa: E402
from grader.authoring.validate import mistake_source  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COURSE_STUDENTS = ("ada", "bob", "carol", "erin")

BUILT = ROOT / "examples" / "build"

for assignment_id in assignments.ids():
    assignment = assignments.get(assignment_id)
    (BUILT / assignment_id).mkdir(parents=True, exist_ok=True)
    for student in sorted((ROOT / "examples" / "students" / assignment_id).glob("*.py")):
        source = student
        if "builds on the base solution" in student.read_text().lower():
            source = BUILT / assignment_id / student.name
            base = ROOT / "tests" / "submissions" / assignment_id / "base.py"
            source.write_text(mistake_source(student, base))
        targets = [ROOT / "examples" / "submitted" / student.stem / assignment_id]
        if student.stem in COURSE_STUDENTS:
            targets.append(ROOT / "course" / "submitted" / student.stem / assignment_id)
        for folder in targets:
            for notebook in assignment.notebook_names:
                released = ROOT / "assignments" / assignment_id / f"{notebook}.ipynb"
                fill_file(released, source, folder / f"{notebook}.ipynb")
            print(f"wrote {folder}")
