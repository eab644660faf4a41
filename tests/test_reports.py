"""Per-student feedback files, the class report, Gradescope output, reveal levels and
carry-forward credit."""

import json
import re
import zipfile

import pytest
from click.testing import CliRunner

from conftest import HW1, SOLUTIONS, SUBMISSIONS, by_id, find, mistake_source
from grader.core.options import Options
from grader.explain.feedback import Reveal
from grader.frontends.cli import main
from grader.report.class_report import BadResults, build_report, load_results, write_report
from grader.report.formats import as_json
from grader.report.gradescope import VISIBILITIES, bundle, results_json
from grader.report.student_files import write_feedback

WRONG = HW1.total_points - 0.75 * HW1.by_name["eta_range"].points
"""The score of the monotone-bound mistake: it loses eta_range's upper bound (75 %)."""


@pytest.fixture(scope="module")
def two_results(grader, tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    (folder / "good.py").write_text((SUBMISSIONS / "base.py").read_text())
    (folder / "wrong.py").write_text(mistake_source(SUBMISSIONS / "mistakes" / "eta_range_monotone_bound.py"))
    return [grader.grade(s) for s in find(folder)]


def test_feedback_files_per_student_are_self_contained(two_results, tmp_path):
    written, failed = write_feedback(two_results, tmp_path, 100)
    assert failed == []
    assert sorted(p.name for p in written) == ["good.html", "good.md", "wrong.html", "wrong.md"]
    page = (tmp_path / "wrong.html").read_text()
    assert f"{WRONG:g} / {HW1.total_points:g}" in page and "eta_range" in page and "monotone bound" in page
    assert not re.search(r'(src|href)="(http|//)', page), "the page must not load anything"
    markdown = (tmp_path / "wrong.md").read_text()
    assert "| `eta_range` | 2 / 8 | partial |" in markdown and "Checked: 100 random cases" in markdown


def test_class_report_has_plots_and_a_csv(two_results, tmp_path):
    results = tmp_path / "results.json"
    results.write_text(as_json(two_results, 1, 100))
    html_path, csv_path = write_report(results, tmp_path / "report.html")
    page = html_path.read_text()
    assert page.count("data:image/png;base64,") == 3
    assert "eta_range" in page and "monotone_bound" in page
    rows = csv_path.read_text().splitlines()
    assert rows[0].startswith("student,submission,score,max_score,sigmoid") and len(rows) == 3


def test_report_rejects_files_that_are_not_results(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(BadResults, match="bad.json"):
        load_results(bad)
    result = CliRunner().invoke(main, ["report", str(bad), "-o", str(tmp_path / "r.html")])
    assert result.exit_code != 0 and "bad.json" in result.output


def test_report_of_an_empty_class_still_builds():
    assert "No submissions." in build_report([])


def test_gradescope_results_follow_the_published_fields(two_results):
    document = json.loads(results_json(two_results[1:]))
    assert isinstance(document["score"], float) and isinstance(document["output"], str)
    assert len(document["tests"]) == len(HW1.exercises)
    for number, test in enumerate(document["tests"], start=1):
        fields = {"name", "number", "score", "max_score", "status", "output", "output_format", "visibility"}
        assert set(test) == fields
        assert test["output_format"] == "text", "student text is never rendered as HTML or Markdown"
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES
        assert test["number"] == str(number) and 0 <= test["score"] <= test["max_score"]
    assert sum(t["score"] for t in document["tests"]) == document["score"] == WRONG
    with pytest.raises(ValueError):
        results_json(two_results)


def test_gradescope_bundle_holds_what_the_autograder_needs(tmp_path):
    from pathlib import Path

    project = Path(__file__).resolve().parent.parent
    archive = zipfile.ZipFile(bundle(tmp_path / "autograder.zip", project, SOLUTIONS, HW1))
    names = set(archive.namelist())
    assert {
        "setup.sh",
        "install.sh",
        "run_autograder",
        "solutions/backprop.py",
        "grader-src/pyproject.toml",
        "grader-src/grader/frontends/cli.py",
    } <= names
    assert not any(n.startswith("solutions/") and "momentum" in n for n in names), "only hw1's reference"
    assert (archive.getinfo("run_autograder").external_attr >> 16) & 0o111
    run = archive.read("run_autograder").decode()
    assert "gradescope-run" in run and "--assignment hw1" in run


@pytest.mark.parametrize("reveal", list(Reveal))
def test_reveal_levels_are_respected(grader, tmp_path, reveal):
    path = tmp_path / "student.py"
    path.write_text(mistake_source(SUBMISSIONS / "mistakes" / "loss_half.py"))
    [submission] = find(path)
    feedback = by_id(grader.with_options(Options(reveal=reveal)).grade(submission))["loss"].feedback
    assert "put a factor 1/2 in front" in feedback
    assert ("Smallest failing case" in feedback) == (reveal is not Reveal.NONE)
    assert ("expected:" in feedback) == (reveal is Reveal.VALUES)


def test_carry_forward_is_off_by_default_and_credits_consistent_chains(grader, tmp_path):
    path = tmp_path / "student.py"
    path.write_text(mistake_source(SUBMISSIONS / "mistakes" / "dE_dyhat_missing_two.py"))
    [submission] = find(path)
    strict = by_id(grader.grade(submission))
    assert strict["dE_dW1"].score == 0 and "consistent with your dE_dz" in strict["dE_dW1"].feedback
    lenient = by_id(grader.with_options(Options(carry_forward=True)).grade(submission))
    assert lenient["dE_dyhat"].score == 0
    for name in ("dE_dh", "dE_dz", "dE_dx", "dE_dW2", "dE_dW1"):
        assert lenient[name].score == lenient[name].max_score and lenient[name].mistake == "carried_forward"


def test_carry_forward_never_credits_an_independent_mistake(grader, tmp_path):
    path = tmp_path / "student.py"
    source = mistake_source(SUBMISSIONS / "mistakes" / "dE_dyhat_missing_two.py")
    path.write_text(source + "\n\ndef dE_dW2(x, y, W1, W2):\n    return np.zeros((len(y), W1.shape[0]))\n")
    [submission] = find(path)
    lenient = by_id(grader.with_options(Options(carry_forward=True)).grade(submission))
    assert lenient["dE_dW2"].score == 0 and lenient["dE_dW2"].mistake != "carried_forward"
