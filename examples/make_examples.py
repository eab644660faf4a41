"""Rebuilds the bundled example submissions from the released notebooks filled with the
student code in examples/students/*.py, in nbgrader's submitted/<student>/<assignment>/ layout:

- examples/submitted/: for `grader grade` (plus dan's truncated notebook, kept by hand);
- course/submitted/: the nbgrader course's sample submissions (with selfcheck.py, as
  students submit their whole release folder).

Run from the repository root: python examples/make_examples.py
"""

import shutil
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
        if "course" in folder.parts:
            shutil.copy(ASSIGNMENTS / "selfcheck.py", folder / "selfcheck.py")
        print(f"wrote {folder}")
