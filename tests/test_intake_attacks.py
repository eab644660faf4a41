"""The intake-attack suite: what a hostile class can do with the files, folders and names it
hands in, graded beside honest neighbours (grader/intake/). For every attack the neighbours'
results equal grading them alone, the attacker earns exactly what its own answers earn, nothing
is followed or read outside the submission, the batch finishes, and no output holds markup,
formulas or escape sequences from a name."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import HW1, ROOT, SOLUTIONS, SUBMISSIONS, affected, find, mistake_source
from grader.authoring.fill import fill_file
from grader.core.api import GradingCore
from grader.core.options import Options
from grader.frontends.cli import main

RELEASED = ROOT / "assignments" / "hw1"
NOTEBOOKS = ("backprop.ipynb", "gradient_descent.ipynb")
OPTIONS = Options(cases=20)
SECRET = "TOPSECRET-5e2b9c"


@pytest.fixture(scope="module")
def core() -> GradingCore:
    return GradingCore(OPTIONS, SOLUTIONS)


def hand_in(folder: Path, source: Path | str) -> Path:
    """One student's hw1 folder: the released notebooks filled with `source` (a file or text)."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(source, str):
        path = folder.parent / f".{folder.parent.name}-source.py"
        path.write_text(source)
        source = path
    for name in NOTEBOOKS:
        fill_file(RELEASED / name, source, folder / name)
    return folder


def class_with(root: Path) -> Path:
    """submitted/ with two honest students, ada and zed."""
    submitted = root / "submitted"
    hand_in(submitted / "ada" / "hw1", SUBMISSIONS / "base.py")
    hand_in(submitted / "zed" / "hw1", SUBMISSIONS / "correct" / "einsum_style.py")
    return submitted


def alone(core: GradingCore, folder: Path, tmp_path: Path) -> dict:
    """A student's result graded on its own, from a clean copy of just its notebooks."""
    copy = tmp_path / "alone" / "submitted" / folder.parent.name / folder.name
    copy.mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy(folder / name, copy / name)
    [submission] = find(copy.parent.parent)
    return core.grade(submission).to_json()


def prepend(notebook: Path, code: str) -> None:
    """Put `code` at the top of the notebook's first answer cell, as a student would."""
    document = json.loads(notebook.read_text())
    cell = next(c for c in document["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
    cell["source"] = code + "\n" + "".join(cell["source"])
    notebook.write_text(json.dumps(document))


def batch(core: GradingCore, submitted: Path) -> dict[str, dict]:
    return {s.student: core.grade(s).to_json() for s in find(submitted)}


def same_grades(a: dict, b: dict) -> bool:
    keep = ("score", "max_score", "exercises")
    return {k: a[k] for k in keep} == {k: b[k] for k in keep}


def test_a_nested_layout_cannot_pose_as_a_classmate(core, tmp_path):
    submitted = class_with(tmp_path)
    honest = {name: alone(core, submitted / name / "hw1", tmp_path / name) for name in ("ada", "zed")}
    eve = hand_in(submitted / "eve" / "hw1", "import numpy as np\n")
    fake = hand_in(eve / "submitted" / "ada" / "hw1", SUBMISSIONS / "base.py")  # stubs posing as ada
    (fake / "zzz.ipynb").write_text((RELEASED / "backprop.ipynb").read_text())
    (eve / "extra").mkdir()
    (eve / "extra" / "ada.py").write_text((SUBMISSIONS / "base.py").read_text())
    results = batch(core, submitted)
    assert sorted(results) == ["ada", "eve", "zed"], "one row per student, none made up"
    for name in ("ada", "zed"):
        assert same_grades(results[name], honest[name])
    assert results["eve"]["score"] == alone(core, eve, tmp_path / "eve")["score"] == 0


def _link(path: Path, target: str | Path) -> None:
    path.symlink_to(target)


def test_links_devices_and_fifos_are_never_followed_or_opened(core, tmp_path):
    submitted = class_with(tmp_path)
    private = tmp_path / "private.txt"
    private.write_text(SECRET)
    eve = hand_in(submitted / "eve" / "hw1", "import numpy as np\n")
    cheat = (
        "try:\n    from backprop import *  # the reference, if it had been copied in\n"
        "except Exception:\n    pass\n"
        "for _path in ('private', 'ada/backprop.ipynb', 'zero'):\n"
        "    try:\n        print(open(_path).read(100))\n    except Exception:\n        pass\n"
    )
    prepend(eve / "backprop.ipynb", cheat)
    prepend(eve / "gradient_descent.ipynb", cheat)
    _link(eve / "backprop.py", SOLUTIONS / "backprop.py")
    _link(eve / "ada", submitted / "ada" / "hw1")
    _link(eve / "private", private)
    _link(eve / "zero", "/dev/zero")
    _link(eve / "terminal", "/dev/ptmx")
    _link(eve / "loop-a", ".")
    _link(eve / "loop-b", ".")
    os.mkfifo(eve / "pipe")
    honest = {name: alone(core, submitted / name / "hw1", tmp_path / name) for name in ("ada", "zed")}
    started = time.monotonic()
    results = batch(core, submitted)
    assert time.monotonic() - started < 120, "the batch must not block on a device or a FIFO"
    for name in ("ada", "zed"):
        assert same_grades(results[name], honest[name])
    assert results["eve"]["score"] == alone(core, eve, tmp_path / "eve")["score"] == 0
    problems = " ".join(results["eve"]["problems"])
    for name in ("backprop.py", "ada", "private", "zero", "terminal", "loop-a", "loop-b"):
        assert f"{name}: a symbolic link (links are never followed)" in problems, name
    assert "pipe: not a regular file" in problems
    assert SECRET not in json.dumps(results)


def test_a_graded_notebook_that_is_a_link_costs_only_its_own_functions(core, tmp_path):
    submitted = class_with(tmp_path)
    eve = hand_in(submitted / "eve" / "hw1", SUBMISSIONS / "base.py")
    (eve / "backprop.ipynb").unlink()
    _link(eve / "backprop.ipynb", submitted / "ada" / "hw1" / "backprop.ipynb")
    result = batch(core, submitted)["eve"]
    by_id = {e["id"]: e for e in result["exercises"]}
    assert by_id["dE_dW1"]["status"] == "error" and "a symbolic link" in by_id["dE_dW1"]["feedback"]
    assert by_id["best_rate"]["status"] == "passed", "the other notebook is still graded"


def test_a_linked_student_folder_is_an_error_that_names_the_link(core, tmp_path):
    submitted = class_with(tmp_path)
    elsewhere = hand_in(tmp_path / "elsewhere" / "hw1", SUBMISSIONS / "base.py")
    (submitted / "mallory").mkdir()
    _link(submitted / "mallory" / "hw1", elsewhere)
    result = batch(core, submitted)["mallory"]
    assert result["score"] == 0 and "a symbolic link" in result["problems"][0]


def test_budgets_cap_files_depth_and_bytes_and_name_what_they_refuse(core, tmp_path):
    submitted = class_with(tmp_path)
    eve = hand_in(submitted / "eve" / "hw1", SUBMISSIONS / "base.py")
    many = eve / "many"
    many.mkdir()
    for i in range(300):
        (many / f"{i:03d}.txt").write_text("x")
    deep = eve
    for level in range(12):
        deep = deep / f"d{level}"
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text("deep")
    (eve / "big.bin").write_bytes(b"\0" * (25 << 20))
    honest = {name: alone(core, submitted / name / "hw1", tmp_path / name) for name in ("ada", "zed")}
    results = batch(core, submitted)
    for name in ("ada", "zed"):
        assert same_grades(results[name], honest[name])
    assert results["eve"]["score"] == honest["ada"]["score"], "refused extras cost nothing else"
    problems = " ".join(results["eve"]["problems"])
    assert "big.bin: " in problems and "more than 200 files" in problems
    assert "folders nested deeper than 8 levels" in problems


NAMES = [
    "n" * 250,
    '=HYPERLINK("https:evil.example","grades")',
    "<img src=x onerror=alert(1)>",
    "\x1b[2Jmallory\rbob",
    "@SUM(1+1)",
    "+SUM(1+1)",
    "-2+3+cmd|'!A0",
]


def test_names_cannot_break_or_inject_into_any_output(tmp_path):
    submitted = tmp_path / "submitted"
    names = [*NAMES, os.fsdecode(b"bad-\xff\xfe-utf8")]
    for name in names:
        hand_in(submitted / name / "hw1", SUBMISSIONS / "base.py")
    out = tmp_path / "out"
    runner = CliRunner()
    common = ["grade", str(submitted), "--solutions", str(SOLUTIONS), "--cases", "20"]
    json_run = runner.invoke(
        main, [*common, "--format", "json", "-o", str(out / "r.json"), "--feedback", str(out / "fb")]
    )
    assert json_run.exit_code == 0, json_run.output
    document = json.loads((out / "r.json").read_text())
    assert len(document["submissions"]) == len(names)
    assert len(list((out / "fb").iterdir())) == 2 * len(names)
    assert all(len(p.name) < 100 for p in (out / "fb").iterdir())
    pages = sorted((out / "fb").glob("*.md")) + sorted((out / "fb").glob("*.html"))
    assert len(pages) == 2 * len(names), "a Markdown and an HTML page per student"
    for page in pages:
        text = page.read_text()
        assert "<img" not in text and "\x1b" not in text, page.name
    assert (
        sum("&lt;img src=x onerror=alert(1)&gt;" in p.read_text() for p in pages if p.suffix == ".html") == 1
    )
    csv_run = runner.invoke(main, [*common, "--format", "csv"])
    assert csv_run.exit_code == 0, csv_run.output
    rows = list(csv.reader(io.StringIO(csv_run.stdout)))
    assert len(rows) == 1 + len(names), "a header and one row per student"
    for row in rows:
        assert not row[0].startswith(("=", "+", "-", "@", "\t", "\r")), row[0]
    assert {"'+SUM(1+1)", "'-2+3+cmd|'!A0", "'@SUM(1+1)"} <= {row[0] for row in rows}
    table_run = runner.invoke(main, [*common, "--format", "table"])
    assert table_run.exit_code == 0, table_run.output
    table = table_run.stdout
    assert "mallory" in table and "\x1b" not in table and "\r" not in table


ATTACKS = ROOT / "tests" / "submissions" / "attacks"


@pytest.mark.parametrize("attack", ["zeros_everywhere", "tailored_rebuild_answers"])
def test_carry_forward_is_never_lifted_by_zeros_or_tailored_answers(tmp_path, attack):
    core = GradingCore(Options(cases=20, carry_forward=True), SOLUTIONS)
    path = ATTACKS / f"{attack}.py"
    (tmp_path / "eve.py").write_text(mistake_source(path, SUBMISSIONS / "base.py"))
    [submission] = find(tmp_path / "eve.py")
    result = core.grade(submission)
    lost = {e.id for e in result.autograded if e.score < e.max_score}
    assert lost == affected(path), {e.id: e.feedback[:300] for e in result.autograded}
    assert not any(e.mistake == "carried_forward" for e in result.exercises)


def test_a_solutions_folder_in_the_graded_tree_is_never_imported(tmp_path):
    marker = tmp_path / "imported"
    (tmp_path / "solutions").mkdir()
    for name in ("backprop.py", "gradient_descent.py"):
        (tmp_path / "solutions" / name).write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    shutil.copy(SUBMISSIONS / "base.py", tmp_path / "ann.py")
    env = {k: v for k, v in os.environ.items() if k != "GRADER_SOLUTIONS"}
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", ".", "--cases", "20", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert not marker.exists(), "code from the graded folder ran in the grader's process"
    assert done.returncode == 0, done.stderr
    scores = {s["student"]: s["score"] for s in json.loads(done.stdout)["submissions"]}
    assert scores["ann"] == HW1.total_points
