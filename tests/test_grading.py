"""End-to-end grading of every assignment: the reference gets full marks, the released stubs get
zero, every correct style gets full marks, and every known mistake loses marks exactly where it
should. Totals come from the assignments, never from literals."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import (
    LIBRARY,
    RELEASED,
    ROOT,
    SOLUTIONS,
    affected,
    by_id,
    find,
    mistake_source,
    reference_source,
)
from grader import assignments
from grader.report.formats import as_json

IDS = assignments.ids()
MISTAKES = [(i, p) for i in IDS for p in sorted((LIBRARY / i / "mistakes").glob("*.py"))]
CORRECT = [
    (i, p) for i in IDS for p in [*sorted((LIBRARY / i / "correct").glob("*")), LIBRARY / i / "base.py"]
]


@pytest.mark.parametrize("assignment_id", IDS)
def test_reference_gets_full_marks(grade_source, assignment_id):
    result = grade_source(reference_source(assignment_id), "reference", assignment_id)
    assert result.score == assignments.get(assignment_id).total_points
    assert all(e.status == "passed" for e in result.autograded)


@pytest.mark.parametrize("assignment_id", IDS)
def test_released_stubs_get_zero_without_crashing(core, tmp_path, assignment_id):
    assignment = assignments.get(assignment_id)
    folder = tmp_path / "submitted" / "stub" / assignment_id
    folder.mkdir(parents=True)
    for notebook in assignment.notebook_names:
        shutil.copy(RELEASED / assignment_id / f"{notebook}.ipynb", folder)
    [submission] = find(tmp_path / "submitted")
    assert submission.assignment == assignment_id
    result = core.grade(submission)
    assert result.score == 0 and result.max_score == assignment.total_points
    assert {e.status for e in result.autograded} == {"error"}
    assert all("NotImplementedError" in e.feedback for e in result.autograded)


@pytest.mark.parametrize(("assignment_id", "path"), CORRECT, ids=lambda v: getattr(v, "stem", v))
def test_correct_styles_get_full_marks(core, assignment_id, path):
    [submission] = find(path, assignment_id)
    result = core.grade(submission)
    wrong = {e.id: e.feedback for e in result.autograded if e.status != "passed"}
    assert not wrong, wrong
    assert not any(e.mistake or "Likely mistake" in e.feedback for e in result.exercises)
    assert result.score == assignments.get(assignment_id).total_points


def test_there_are_enough_correct_styles_and_mistakes():
    counts = {i: (sum(a == i for a, _ in CORRECT), sum(a == i for a, _ in MISTAKES)) for i in IDS}
    assert counts["hw1"][0] >= 6 and counts["hw1"][1] >= 30
    assert counts["hw2"][0] >= 3 and counts["hw2"][1] >= 25


@pytest.mark.parametrize(("assignment_id", "path"), MISTAKES, ids=lambda v: getattr(v, "stem", v))
def test_mistake_loses_marks_exactly_where_it_is(grade_source, assignment_id, path):
    result = grade_source(mistake_source(path), path.stem, assignment_id)
    expected_losses = affected(path)
    assert expected_losses <= set(assignments.get(assignment_id).by_name)
    lost = {e.id for e in result.autograded if e.score < e.max_score}
    assert lost == expected_losses, {
        e.id: e.feedback for e in result.autograded if e.id in lost ^ expected_losses
    }


def test_partial_submission_is_graded_on_what_it_defines(grade_source):
    source = "import numpy as np\n\ndef dE_dyhat(y_hat, y):\n    return 2 * (np.asarray(y_hat) - y)\n"
    result = by_id(grade_source(source))
    assert result["dE_dyhat"].status == "passed"
    assert {e.status for k, e in result.items() if k != "dE_dyhat" and e.status != "manual"} == {"missing"}
    assert "defines no function named sigmoid" in result["sigmoid"].feedback


@pytest.mark.slow  # a long guard; CI runs it (scripts/test.sh -m '')
def test_same_submissions_and_seed_give_identical_json_across_processes(tmp_path):
    """Two separate runs (other hash seeds, one and two jobs, cold and warm case cache), on
    mistakes that need shrinking in both assignments: byte-identical JSON."""
    for assignment_id, path in [MISTAKES[0], MISTAKES[5], *[m for m in MISTAKES if m[0] == "hw2"][:3]]:
        folder = tmp_path / "batch" / "submitted" / path.stem / assignment_id
        folder.mkdir(parents=True)
        (folder / f"{path.stem}.ipynb").write_text(_notebook(mistake_source(path)))
    outputs = []
    for hash_seed, jobs, cache in (("1", "1", "a"), ("2", "2", "a"), ("3", "1", "b")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "GRADER_CACHE": str(tmp_path / cache)}
        command = [sys.executable, "-m", "grader", "grade", str(tmp_path / "batch"), "--format", "json"]
        command += ["--cases", "30", "--jobs", jobs, "--solutions", str(SOLUTIONS)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    document = json.loads(outputs[0])
    assert {s["assignment"] for s in document["submissions"]} == {"hw1", "hw2"}
    assert any(
        "Smallest failing case" in e["feedback"] for s in document["submissions"] for e in s["exercises"]
    )


def _notebook(source: str) -> str:
    cell = {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.mark.parametrize("assignment_id", IDS)
def test_json_matches_spec_section_5(grade_source, assignment_id):
    assignment = assignments.get(assignment_id)
    path = next(p for i, p in MISTAKES if i == assignment_id)
    document = json.loads(as_json([grade_source(mistake_source(path), "x", assignment_id)], 1, 100))
    [entry] = document["submissions"]
    assert {"submission", "student", "score", "max_score", "exercises", "assignment"} <= set(entry)
    assert entry["student"] == "x" and entry["max_score"] == assignment.total_points
    assert entry["assignment"] == assignment_id
    ids = [e["id"] for e in entry["exercises"]]
    assert ids == [e.name for e in assignment.exercises] + [q.name for q in assignment.written]
    statuses = {"passed", "partial", "failed", "error", "timeout", "missing", "manual"}
    for exercise in entry["exercises"]:
        assert {"id", "score", "max_score", "status", "feedback"} <= set(exercise)
        assert exercise["status"] in statuses
        assert isinstance(exercise["score"], float) and isinstance(exercise["feedback"], str)
    manual = [e for e in entry["exercises"] if e["status"] == "manual"]
    assert sum(e["max_score"] for e in manual) == assignment.written_points
    assert entry["score"] == sum(e["score"] for e in entry["exercises"] if e["status"] != "manual")
