"""The click CLI: formats, output file, bad input named and the rest still graded."""

import csv
import io
import json
import shutil

from click.testing import CliRunner

from conftest import SOLUTIONS, SUBMISSIONS
from grader.frontends.cli import main


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
    assert scores == {"ann": 92.0, "broken": 0.0}
    broken = next(s for s in document["submissions"] if s["student"] == "broken")
    assert all(e["status"] == "error" for e in broken["exercises"] if e["status"] != "manual")
    assert "broken.ipynb: not a valid Jupyter notebook" in broken["exercises"][0]["feedback"]
    assert "broken.ipynb" in result.stderr

    rows = list(csv.DictReader(io.StringIO(run("grade", *common, "--format", "csv").stdout)))
    assert {r["student"]: float(r["score"]) for r in rows} == scores
    assert float(next(r for r in rows if r["student"] == "ann")["dE_dW1"]) == 8
    table = run("grade", *common).stdout
    assert "ann" in table and "92 / 92" in table


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
    assert json.loads(result.stdout)["submissions"][0]["score"] == 92.0


def test_progress_never_enters_the_json(tmp_path):
    shutil.copy(SUBMISSIONS / "correct" / "einsum_style.py", tmp_path / "ann.py")
    result = run("grade", str(tmp_path), "--solutions", str(SOLUTIONS), "--cases", "20", "--format", "json")
    json.loads(result.stdout)


def test_check_runs_the_solution_free_self_checks(tmp_path):
    shutil.copy(SUBMISSIONS / "correct" / "loops_and_lists.py", tmp_path / "mine.py")
    result = run("check", str(tmp_path / "mine.py"))
    assert result.exit_code == 0
    assert "21 of 21 functions pass the self-check" in result.output
    wrong = (SUBMISSIONS / "base.py").read_text() + (SUBMISSIONS / "mistakes" / "dh_dz_sigma.py").read_text()
    (tmp_path / "wrong.py").write_text(wrong)
    output = run("check", str(tmp_path / "wrong.py")).output
    assert "FIX  dh_dz" in output and "OK   dz_dW1" in output


def test_check_on_a_released_notebook_counts_its_own_functions():
    from conftest import ASSIGNMENTS

    output = run("check", str(ASSIGNMENTS / "gradient_descent.ipynb")).output
    assert "0 of 7 functions pass" in output and "FIX  rho: not implemented yet" in output
    assert "sigmoid" not in output
