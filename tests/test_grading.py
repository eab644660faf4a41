"""End-to-end grading: the reference gets full marks, the released stubs get zero, every
correct style gets full marks, and every known mistake loses marks exactly where it should."""

import json
import shutil

import pytest

from conftest import ASSIGNMENTS, HW1, SUBMISSIONS, affected, by_id, find, mistake_source, reference_source
from grader.report.formats import as_json

EXERCISES = HW1.exercises
TOTAL_POINTS = HW1.total_points

MISTAKES = sorted((SUBMISSIONS / "mistakes").glob("*.py"))
CORRECT = sorted((SUBMISSIONS / "correct").glob("*")) + [SUBMISSIONS / "base.py"]


def test_reference_gets_full_marks(grade_source):
    result = grade_source(reference_source(), "reference")
    assert result.score == TOTAL_POINTS
    assert all(e.status == "passed" for e in result.autograded)


def test_released_stubs_get_zero_without_crashing(grader, tmp_path):
    folder = tmp_path / "submitted" / "stub" / "hw1"
    folder.mkdir(parents=True)
    for notebook in ("backprop.ipynb", "gradient_descent.ipynb"):
        shutil.copy(ASSIGNMENTS / notebook, folder)
    [submission] = find(tmp_path / "submitted")
    result = grader.grade(submission)
    assert result.score == 0 and result.max_score == TOTAL_POINTS
    assert {e.status for e in result.autograded} == {"error"}
    assert all("NotImplementedError" in e.feedback for e in result.autograded)


@pytest.mark.parametrize("path", CORRECT, ids=lambda p: p.stem)
def test_correct_styles_get_full_marks(grader, path):
    [submission] = find(path)
    result = grader.grade(submission)
    wrong = {e.id: e.feedback for e in result.autograded if e.status != "passed"}
    assert not wrong, wrong
    assert not any(e.mistake or "Likely mistake" in e.feedback for e in result.exercises)
    assert result.score == TOTAL_POINTS


def test_there_are_enough_correct_styles_and_mistakes():
    assert len(CORRECT) >= 6
    assert len(MISTAKES) >= 30


@pytest.mark.parametrize("path", MISTAKES, ids=lambda p: p.stem)
def test_mistake_loses_marks_exactly_where_it_is(grade_source, path):
    result = grade_source(mistake_source(path), path.stem)
    expected_losses = affected(path)
    assert expected_losses <= {e.name for e in EXERCISES}
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


def test_same_submission_and_seed_give_identical_json(grader):
    submissions = [s for p in CORRECT[:2] for s in find(p)]
    first = as_json([grader.grade(s) for s in submissions], 1, 100)
    second = as_json([grader.grade(s) for s in submissions], 1, 100)
    assert first == second


def test_json_matches_spec_section_5(grade_source):
    document = json.loads(as_json([grade_source(mistake_source(MISTAKES[0]), "x")], 1, 100))
    [entry] = document["submissions"]
    assert {"submission", "student", "score", "max_score", "exercises"} <= set(entry)
    assert entry["student"] == "x" and entry["max_score"] == TOTAL_POINTS
    ids = [e["id"] for e in entry["exercises"]]
    assert ids[: len(EXERCISES)] == [e.name for e in EXERCISES]
    statuses = {"passed", "partial", "failed", "error", "timeout", "missing", "manual"}
    for exercise in entry["exercises"]:
        assert {"id", "score", "max_score", "status", "feedback"} <= set(exercise)
        assert exercise["status"] in statuses
        assert isinstance(exercise["score"], float) and isinstance(exercise["feedback"], str)
    manual = [e for e in entry["exercises"] if e["status"] == "manual"]
    assert sum(e["max_score"] for e in manual) == HW1.written_points
    assert entry["score"] == sum(e["score"] for e in entry["exercises"] if e["status"] != "manual")
