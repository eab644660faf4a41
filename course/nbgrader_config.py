"""nbgrader configuration of the course: one assignment, hw1, in two notebooks.

The autograded test cells call the course grader (see grader/nbgrader_cell.py), which runs
the student's notebooks in its own sandbox and prints its feedback; the cell's value is the
score, which nbgrader takes as partial credit.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # for per_exercise_export

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "ml-backprop-gd"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# One cell may take a while: its first test cell grades the whole submission (bounded by the
# grader's own limits, 120 s per submission), so nbgrader's per-cell timeout stays out of the way.
c.Execute.timeout = 600
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The test cells look for these in the kernel's environment, which nbgrader's kernels inherit.
os.environ["GRADER_AUTOGRADE"] = "1"
os.environ.setdefault("GRADER_SOLUTIONS", os.path.join(os.path.dirname(HERE), "solutions"))

# `nbgrader export` writes one row per student, notebook and graded cell.
c.ExportApp.plugin_class = "per_exercise_export.PerExerciseExport"
