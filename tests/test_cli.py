"""The click CLI: formats, output file, bad input named and the rest still graded."""

import csv
import io
import json
import shutil

from click.testing import CliRunner

from conftest import HW1, SOLUTIONS, SUBMISSIONS
from grader.frontends.cli import main

FULL = HW1.total_points


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_reads_well():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("grade", "check", "validate"):
        assert command in result.output
    assert "--format" in run("grade", "--help").output


def test_json_csv_and_table_formats_agree(tmp_path):
    shutil.copy(SUBMISSIONS / "correct" / "einsum_style.py", tmp_path / "ann.py")
    (tmp_path / "broken.ipynb").write_text("{not json")
    common = [str(tmp_path), "--solutions", str(SOLUTIONS), "--cases", "20"]
    out = tmp_path / "results.json"
    result = run("grade", *common, "--format", "json", "--output", str(out))
    assert result.exit_code == 0
    document = json.loads(out.read_text())
    scores = {s["student"]: s["score"] for s in document["submissions"]}
    assert scores == {"ann": FULL, "broken": 0.0}
    broken = next(s for s in document["submissions"] if s["student"] == "broken")
    assert all(e["status"] == "error" for e in broken["exercises"] if e["status"] != "manual")
    assert "broken.ipynb: not a valid Jupyter notebook" in broken["exercises"][0]["feedback"]
    assert "broken.ipynb" in result.stderr

    rows = list(csv.DictReader(io.StringIO(run("grade", *common, "--format", "csv").stdout)))
    assert {r["student"]: float(r["score"]) for r in rows} == scores
    assert float(next(r for r in rows if r["student"] == "ann")["dE_dW1"]) == 8
    table = run("grade", *common).stdout
    assert "ann" in table and f"{FULL:g} / {FULL:g}" in table


def test_missing_path_is_reported_and_others_graded(tmp_path):
    shutil.copy(SUBMISSIONS / "correct" / "einsum_style.py", tmp_path / "ann.py")
    result = run(
        "grade",
        str(tmp_path / "ann.py"),
        str(tmp_path / "ghost"),
        "--solutions",
        str(SOLUTIONS),
        "--cases",
        "20",
        "--format",
        "json",
    )
    assert result.exit_code == 1
    assert "ghost: no such file or folder" in result.stderr
    assert json.loads(result.stdout)["submissions"][0]["score"] == FULL


def test_progress_shows_on_a_terminal_and_never_enters_the_json(tmp_path):
    """stderr on a pseudo-terminal (as at an instructor's shell), stdout to a pipe: the progress
    bar is drawn on the terminal and the JSON on stdout is untouched."""
    import os
    import pty
    import subprocess
    import sys

    for name in ("ann", "ben"):
        shutil.copy(SUBMISSIONS / "correct" / "einsum_style.py", tmp_path / f"{name}.py")
    terminal, stderr = pty.openpty()
    command = [sys.executable, "-m", "grader", "grade", str(tmp_path), "--solutions", str(SOLUTIONS)]
    done = subprocess.run(
        [*command, "--cases", "20", "--format", "json"], stdout=subprocess.PIPE, stderr=stderr, timeout=300
    )
    os.close(stderr)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    assert done.returncode == 0
    assert [s["student"] for s in json.loads(done.stdout)["submissions"]] == ["ann", "ben"]
    assert b"2/2" in shown and b"[####" in shown, shown
    assert b"[#" not in done.stdout


def test_check_runs_the_solution_free_self_checks(tmp_path):
    shutil.copy(SUBMISSIONS / "correct" / "loops_and_lists.py", tmp_path / "mine.py")
    result = run("check", str(tmp_path / "mine.py"))
    assert result.exit_code == 0
    count = len(HW1.exercises)
    assert f"{count} of {count} functions pass the self-check" in result.output
    wrong = (SUBMISSIONS / "base.py").read_text() + (SUBMISSIONS / "mistakes" / "dh_dz_sigma.py").read_text()
    (tmp_path / "wrong.py").write_text(wrong)
    wrong_check = run("check", str(tmp_path / "wrong.py"))
    assert "FIX  dh_dz" in wrong_check.output and "OK   dz_dW1" in wrong_check.output
    assert wrong_check.exit_code == 1, "a failed self-check must exit 1"


def test_check_takes_a_folder_or_several_files_and_speaks_of_the_students_functions(tmp_path):
    """A released folder as a student keeps it: both notebooks (the helper files beside them
    are not theirs), one of them with a function that raises and one that hangs."""
    from conftest import ASSIGNMENTS
    from grader.authoring.fill import fill_file

    raising = (SUBMISSIONS / "base.py").read_text() + (
        "\n\ndef dz_dx(W1):\n    raise ValueError('my own message')\n"
        "\n\ndef best_eta(a, b):\n    while True:\n        pass\n"
    )
    (tmp_path / "mine.py").write_text(raising)
    folder = tmp_path / "hw1"
    for name in ("backprop.ipynb", "gradient_descent.ipynb"):
        fill_file(ASSIGNMENTS / name, tmp_path / "mine.py", folder / name)
    shutil.copy(ASSIGNMENTS / "selfcheck.py", folder / "selfcheck.py")
    (folder / ".ipynb_checkpoints").mkdir()
    shutil.copy(folder / "backprop.ipynb", folder / ".ipynb_checkpoints" / "backprop-checkpoint.ipynb")

    result = run("check", str(folder))
    assert result.exit_code == 1
    assert result.output.count("== ") == 2 and "checkpoint" not in result.output
    assert "FIX  dz_dx: your dz_dx raised ValueError: my own message" in result.output
    assert "FIX  best_eta: " in result.output and "did not return" in result.output
    assert "StudentError" not in result.output

    # several files: a second .py file without the hang (one wait for a timeout is enough)
    (tmp_path / "plain.py").write_text((SUBMISSIONS / "base.py").read_text())
    both = run("check", str(folder / "backprop.ipynb"), str(tmp_path / "plain.py"))
    assert both.exit_code == 1 and both.output.count("== ") == 2
    assert "FIX  dz_dx: your dz_dx raised ValueError" in both.output and "did not return" not in both.output

    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("check", str(empty))
    assert nothing.exit_code == 1 and f"Cannot check {empty}: it holds no notebook" in nothing.output


def test_check_on_a_released_notebook_counts_its_own_functions():
    from conftest import ASSIGNMENTS

    output = run("check", str(ASSIGNMENTS / "gradient_descent.ipynb")).output
    count = sum(e.notebook == "gradient_descent" for e in HW1.exercises)
    assert f"0 of {count} functions pass" in output and "FIX  rho: not implemented yet" in output
    assert "sigmoid" not in output
