"""Rebuilds the bundled example submissions in examples/submitted/ (nbgrader's layout) from
the released notebooks filled with the student code in examples/students/*.py.

Run from the repository root: python examples/make_examples.py
"""

from pathlib import Path

from grader.authoring.fill import fill_file

ROOT = Path(__file__).resolve().parent
ASSIGNMENTS = ROOT.parent / "assignments"
ASSIGNMENT = "hw1"

for source in sorted((ROOT / "students").glob("*.py")):
    folder = ROOT / "submitted" / source.stem / ASSIGNMENT
    for notebook in ("backprop.ipynb", "gradient_descent.ipynb"):
        fill_file(ASSIGNMENTS / notebook, source, folder / notebook)
        print(f"wrote {folder / notebook}")
