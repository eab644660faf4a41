"""Rebuilds the bundled example submissions from the released notebooks filled with the
student code in examples/students/*.py, in nbgrader's submitted/<student>/<assignment>/ layout.
A student file that says it "builds on the base solution" holds only that student's own versions;
they are appended to tests/submissions/base.py, the later definition winning as in a notebook.

- examples/submitted/: for `grader grade` (plus dan's truncated notebook, kept by hand);
- course/submitted/: the nbgrader course's sample submissions (nbgrader's autograde puts
  selfcheck.py back from the course source, so it is not kept here).

Run from the repository root: python examples/make_examples.py
"""

from pathlib import Path

from grader.authoring.fill import fill_file
from grader.authoring.validate import mistake_source

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "assignments"
ASSIGNMENT = "hw1"
COURSE_STUDENTS = ("ada", "bob", "carol", "erin")

BUILT = ROOT / "examples" / "build"
BUILT.mkdir(exist_ok=True)

for student in sorted((ROOT / "examples" / "students").glob("*.py")):
    source = student
    if "builds on the base solution" in student.read_text().lower():
        source = BUILT / student.name
        source.write_text(mistake_source(student, ROOT / "tests" / "submissions" / "base.py"))
    targets = [ROOT / "examples" / "submitted" / student.stem / ASSIGNMENT]
    if student.stem in COURSE_STUDENTS:
        targets.append(ROOT / "course" / "submitted" / student.stem / ASSIGNMENT)
    for folder in targets:
        for notebook in ("backprop.ipynb", "gradient_descent.ipynb"):
            fill_file(ASSIGNMENTS / notebook, source, folder / notebook)
        print(f"wrote {folder}")
