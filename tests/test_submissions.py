"""Finding and grouping submissions (SPEC section 5) and reading them into runnable units."""

import json
from pathlib import Path

import pytest

from grader import assignments
from grader.intake.notebooks import UnreadableSubmission, read_unit
from grader.intake.submissions import NoSuchPath
from grader.intake.submissions import discover as discover_in


def discover(paths):
    return discover_in(paths, "hw1", assignments.ids())


def make_tree(root: Path) -> None:
    for student in ("alice", "bob"):
        folder = root / "course" / "submitted" / student / "hw1"
        folder.mkdir(parents=True)
        for name in ("backprop.ipynb", "gradient_descent.ipynb"):
            (folder / name).write_text(
                json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
            )
        (folder / ".ipynb_checkpoints").mkdir()
        (folder / ".ipynb_checkpoints" / "backprop-checkpoint.ipynb").write_text("{}")
    (root / "loose").mkdir()
    (root / "loose" / "carol.py").write_text("x = 1\n")
    (root / "loose" / "notes.txt").write_text("not a submission")


@pytest.mark.parametrize(
    "level", ["course", "course/submitted", "course/submitted/alice", "course/submitted/alice/hw1"]
)
def test_nbgrader_layout_gives_one_submission_per_student_at_any_level(tmp_path, level):
    make_tree(tmp_path)
    found = discover([str(tmp_path / level)])
    alice = [s for s in found if s.student == "alice"]
    assert len(alice) == 1
    assert alice[0].graded == ("backprop.ipynb", "gradient_descent.ipynb")
    assert alice[0].label == str(tmp_path / "course" / "submitted" / "alice" / "hw1")
    assert alice[0].source == tmp_path / "course" / "submitted" / "alice" / "hw1"
    assert alice[0].assignment == "hw1"


def test_other_files_are_submissions_of_their_own_named_by_stem(tmp_path):
    make_tree(tmp_path)
    found = discover([str(tmp_path)])
    assert sorted(s.student for s in found) == ["alice", "bob", "carol"]
    carol = next(s for s in found if s.student == "carol")
    assert carol.label == str(tmp_path / "loose" / "carol.py") and carol.graded == ("carol.py",)


def test_a_single_notebook_inside_the_layout_keeps_the_student_id(tmp_path):
    make_tree(tmp_path)
    path = tmp_path / "course" / "submitted" / "bob" / "hw1" / "backprop.ipynb"
    [submission] = discover([str(path)])
    assert submission.student == "bob" and submission.graded == ("backprop.ipynb",)


def test_missing_paths_and_wrong_file_types_are_clear_errors(tmp_path):
    with pytest.raises(NoSuchPath, match="no such file"):
        discover([str(tmp_path / "nope")])
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(NoSuchPath, match="not a notebook"):
        discover([str(tmp_path / "a.txt")])


def test_broken_files_name_the_file_and_the_problem(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    with pytest.raises(UnreadableSubmission, match=r"broken\.ipynb: not a valid Jupyter notebook"):
        read_unit(broken)
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(UnreadableSubmission, match=r"binary\.py: not UTF-8"):
        read_unit(binary)


def test_notebook_code_cells_in_order_markdown_skipped(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# hi"},
            {
                "cell_type": "code",
                "metadata": {},
                "source": ["a = 1\n", "b = 2"],
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook))
    unit = read_unit(path)
    assert unit.notebook and unit.cells == ("a = 1\nb = 2",)
