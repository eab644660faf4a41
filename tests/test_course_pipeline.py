"""course/run_pipeline.sh as the README gives it: a course mid-semester (hw1 handed in, hw2 not
yet) passes, PYTHON may be a relative path, and a python without nbgrader is named at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SUBMISSIONS
from grader.authoring.fill import fill_file

pytestmark = pytest.mark.slow
"""Whole front ends in subprocesses (a minute or more): the slow tier."""

PIPELINE = ROOT / "course" / "run_pipeline.sh"
RELEASED = ROOT / "assignments" / "hw1"


def test_a_course_with_hw1_handed_in_and_hw2_not_yet_passes(tmp_path):
    for name in ("backprop.ipynb", "gradient_descent.ipynb"):
        fill_file(RELEASED / name, SUBMISSIONS / "base.py", tmp_path / "submitted" / "zed" / "hw1" / name)
    relative = os.path.relpath(sys.executable, ROOT)
    done = subprocess.run(
        ["bash", "course/run_pipeline.sh", str(tmp_path / "submitted"), str(tmp_path / "work")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": relative},
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "== hw2: no submissions yet, skipped" in out
    assert (tmp_path / "work" / "grades.csv").read_text().count("zed") == 1


def test_a_python_without_nbgrader_is_named(tmp_path):
    bare = Path("/usr/bin/python3")
    done = subprocess.run(
        ["bash", str(PIPELINE), str(tmp_path), str(tmp_path / "work")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": str(bare)},
    )
    assert done.returncode == 2
    assert f"{bare} has no nbgrader or no grader" in done.stderr and '[course]"' in done.stderr
