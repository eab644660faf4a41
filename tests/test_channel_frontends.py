"""The red team's forger (a correct submission whose dz_dx writes reply frames to every descriptor
on each call) through each front end: `grader grade`, the nbgrader test cell's grader and a
service worker. Each finishes within the per-submission limit, the forger loses only the
functions that run its forging code, and the next student is graded normally."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from servicekit import grade_with_cli, module_service, same_grading, variant, wait_done

from conftest import ATTACKS, ROOT, SUBMISSIONS, mistake_source
from grader.authoring.fill import fill_file
from grader.run.sandbox import Limits

pytestmark = pytest.mark.slow
"""Whole front ends in subprocesses (a minute or more): the slow tier."""
FORGER = ATTACKS / "forge_frames_every_call.py"
HONEST = SUBMISSIONS / "base.py"
FORGING = {"dz_dx", "dE_dx"}
"""dz_dx forges; the student's dE_dx calls dz_dx."""
BUDGET = Limits().submission_seconds + 60
"""The per-submission limit, and a minute for start-up: past it a front end is stuck."""
RELEASED = ROOT / "assignments" / "hw1"


def _lost(exercises: list[dict]) -> set[str]:
    return {e["id"] for e in exercises if e["status"] != "manual" and e["score"] < e["max_score"]}


def test_grader_grade_finishes_and_grades_the_next_student(tmp_path):
    (tmp_path / "a_forger.py").write_text(mistake_source(FORGER, HONEST))
    (tmp_path / "b_honest.py").write_text(HONEST.read_text())
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(tmp_path), "--format", "json", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=2 * BUDGET,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    forger, honest = json.loads(done.stdout)["submissions"]
    assert _lost(forger["exercises"]) == FORGING
    assert all("out of turn" in e["feedback"] for e in forger["exercises"] if e["id"] in FORGING), forger[
        "exercises"
    ]
    assert honest["score"] == honest["max_score"] == 92


def _notebooks(folder: Path, forging: bool) -> Path:
    """hw1's two notebooks filled with the correct answers; the forger's backprop notebook has one
    more cell, the attack."""
    submission = folder / ("forger" if forging else "honest") / "hw1"
    for name in ("backprop.ipynb", "gradient_descent.ipynb"):
        fill_file(RELEASED / name, HONEST, submission / name)
    if forging:
        path = submission / "backprop.ipynb"
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(FORGER.read_text()))
        nbformat.write(notebook, path)
    return submission


def test_the_nbgrader_cells_grader_finishes_and_grades_the_next_student(tmp_path):
    results = {}
    for forging in (True, False):
        folder = _notebooks(tmp_path, forging)
        done = subprocess.run(
            [sys.executable, "-m", "grader.frontends.nbgrader_cell", str(folder)],
            capture_output=True,
            text=True,
            timeout=BUDGET,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        results[forging] = json.loads(done.stdout)
    assert _lost(list(results[True].values())) == FORGING
    assert all(e["score"] == e["max_score"] for e in results[False].values() if e["status"] != "manual")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from module_service(tmp_path_factory, "channel")


def test_a_service_worker_finishes_and_grades_the_next_student(service, tmp_path):
    forger = service.client(service.token("forger"))
    honest = service.client(service.token("honest"))
    forged_source = mistake_source(FORGER, HONEST)
    first = forger.post("/submissions", files={"file": ("forger.py", variant(forged_source, "f"))})
    second = honest.post("/submissions", files={"file": ("honest.py", variant(HONEST.read_text(), "h"))})
    assert first.status_code == second.status_code == 202, (first.text, second.text)
    forged = wait_done(forger, first.json()["id"], BUDGET)
    graded = wait_done(honest, second.json()["id"], BUDGET)
    assert forged["status"] == graded["status"] == "done"
    assert _lost(forged["result"]["exercises"]) == FORGING
    assert graded["result"]["score"] == 92
    same_grading(forged["result"], grade_with_cli({"forger.py": variant(forged_source, "f")}, tmp_path))
