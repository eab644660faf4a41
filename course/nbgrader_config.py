"""nbgrader configuration of the course: hw1 (two notebooks) and hw2 (one notebook).

The autograded test cells call the course grader (see grader/frontends/nbgrader_cell.py), which runs
the student's notebooks in its own sandbox and prints its feedback; the cell's value is the
score, which nbgrader takes as partial credit.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # for the opt-in per_exercise_export plugin

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
# The kernels' grader keeps its caches here, apart from the instructor's: the trusted check
# (grader.frontends.course agree) never reads a cache at all.
os.environ["GRADER_CACHE"] = os.path.join(HERE, ".kernel-cache")

# `nbgrader export` writes nbgrader's standard grades.csv (one row per student and assignment),
# what LMS imports and instructors' scripts read. For one row per student, notebook and graded
# cell instead, opt in to the plugin beside this file:
#   nbgrader export --ExportApp.plugin_class=per_exercise_export.PerExerciseExport
