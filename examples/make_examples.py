"""Rebuilds the bundled example submissions from the released notebooks filled with the
student code in examples/students/*.py, in nbgrader's submitted/<student>/<assignment>/ layout:

- examples/submitted/: for `grader grade` (plus dan's truncated notebook, kept by hand);
- course/submitted/: the nbgrader course's sample submissions (nbgrader's autograde puts
  selfcheck.py back from the course source, so it is not kept here).

Run from the repository root: python examples/make_examples.py
"""

from pathlib import Path

from grader.authoring.fill import fill_file

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "assignments"
ASSIGNMENT = "hw1"
COURSE_STUDENTS = ("ada", "bob", "carol", "erin")

for source in sorted((ROOT / "examples" / "students").glob("*.py")):
    targets = [ROOT / "examples" / "submitted" / source.stem / ASSIGNMENT]
    if source.stem in COURSE_STUDENTS:
        targets.append(ROOT / "course" / "submitted" / source.stem / ASSIGNMENT)
    for folder in targets:
        for notebook in ("backprop.ipynb", "gradient_descent.ipynb"):
            fill_file(ASSIGNMENTS / notebook, source, folder / notebook)
        print(f"wrote {folder}")
