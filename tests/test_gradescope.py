"""The Gradescope bundle run the way Gradescope runs it: unpacked into a scratch root standing
for /autograder, setup.sh's install step (all but apt), then run_autograder on each kind of
hand-in a student makes. Every results.json lists every exercise; a failure in one file costs
only that file's functions; the sandbox still holds (the reference in source/ is out of reach).

Everyday, the install step runs with its venv and pip lines replaced by a venv/bin/grader that runs
this checkout's grader (the rest of it as is: the cases warmed into the bundle's cache, the
reference's owner and mode, doctor); the slow tier runs it whole, pip installing the bundle's own
copy of the grader (~47 s), and grades with that copy."""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import HW1, ROOT, SOLUTIONS, SUBMISSIONS
from grader.report.gradescope import bundle

EXAMPLE = ROOT / "examples" / "submitted" / "ada" / "hw1"


VENV_AND_PIP = (
    '"$python" -m venv "$root/venv"\n"$root/venv/bin/pip" install --quiet "$root/source/grader-src"\n'
)
"""The install step's lines that make the bundle's venv: the slow part."""


def install(root: Path, linked: bool) -> Path:
    """A scratch /autograder with the hw1 bundle installed by its own install step; `linked`:
    without its venv and pip lines, venv/bin/grader running this checkout's grader instead."""
    archive = bundle(root / "autograder.zip", ROOT, SOLUTIONS, HW1)
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(root / "source")
    if linked:
        script = root / "source" / "install.sh"
        text = script.read_text()
        assert VENV_AND_PIP in text, "install.sh no longer makes its venv this way: update VENV_AND_PIP"
        script.write_text(text.replace(VENV_AND_PIP, ""))
        (root / "venv" / "bin").mkdir(parents=True)
        grader = root / "venv" / "bin" / "grader"
        grader.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m grader "$@"\n')
        grader.chmod(0o755)
    env = {
        **os.environ,
        "AUTOGRADER_ROOT": str(root),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", str(root / "source" / "install.sh")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    return install(tmp_path_factory.mktemp("autograder"), linked=True)


def hand_in(root: Path, files: dict[str, bytes], metadata: dict | None = None) -> dict:
    """Put `files` in <root>/submission, run run_autograder, return results.json."""
    submission = root / "submission"
    shutil.rmtree(submission, ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    submission.mkdir()
    for name, data in files.items():
        (submission / name).parent.mkdir(parents=True, exist_ok=True)
        (submission / name).write_bytes(data)
    (root / "submission_metadata.json").write_text(json.dumps(metadata or {}))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root)}
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((root / "results" / "results.json").read_text())


def notebooks() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(EXAMPLE.glob("*.ipynb"))}


def by_name(document: dict) -> dict[str, dict]:
    tests = {t["name"]: t for t in document["tests"]}
    assert list(tests) == [e.name for e in HW1.exercises], "every exercise is listed, in order"
    for test in document["tests"]:
        assert {"name", "number", "score", "max_score", "status", "output", "visibility"} <= set(test)
    assert {"score", "output", "execution_time", "stdout_visibility", "tests"} <= set(document)
    return tests


def test_the_two_notebooks_of_hw1_are_one_submission(autograder):
    document = hand_in(autograder, notebooks(), {"users": [{"name": "Ada L.", "sid": "s123"}]})
    tests = by_name(document)
    assert document["score"] == HW1.total_points
    assert all(t["status"] == "passed" for t in tests.values())
    assert "Ada L. (s123)" in document["output"]


def test_a_py_file_in_a_folder_is_a_hand_in_too(autograder):
    document = hand_in(autograder, {"work/solution.py": (SUBMISSIONS / "base.py").read_bytes()})
    assert document["score"] == HW1.total_points and len(by_name(document)) == len(HW1.exercises)


def test_a_zip_is_unpacked_by_the_hardened_intake(autograder):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for name, data in notebooks().items():
            archive.writestr(f"hw1/{name}", data)
        link = zipfile.ZipInfo("hw1/reference.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/autograder/source/solutions/backprop.py")
        archive.writestr("../../escape.py", "x = 1\n")
    document = hand_in(autograder, {"handin.zip": packed.getvalue()})
    assert document["score"] == HW1.total_points
    assert "reference.py: a symbolic link" in document["output"]
    assert "a name that leaves the archive" in document["output"]


def test_an_empty_hand_in_lists_every_exercise_with_zero(autograder):
    document = hand_in(autograder, {})
    tests = by_name(document)
    assert document["score"] == 0 and all(t["score"] == 0 for t in tests.values())
    assert "holds no notebook or .py file" in tests["sigmoid"]["output"]


def test_a_broken_notebook_costs_only_its_own_functions(autograder):
    files = notebooks()
    files["backprop.ipynb"] = files["backprop.ipynb"][:200]
    tests = by_name(hand_in(autograder, files))
    backprop = {e.name for e in HW1.exercises if e.notebook == "backprop"}
    for name, test in tests.items():
        if name in backprop:
            assert test["score"] == 0 and "not a valid Jupyter notebook" in test["output"], name
        else:
            assert test["status"] == "passed", (name, test["output"][:300])


def test_the_best_earlier_score_counts_when_the_bundle_says_so(autograder):
    run = autograder / "source" / "run_autograder"
    original = run.read_text()
    run.write_text(original.replace("--policy latest", "--policy best"))
    try:
        metadata = {"previous_submissions": [{"score": 91.0}, {"score": "junk"}]}
        document = hand_in(autograder, {"mine.py": b"import numpy as np\n"}, metadata)
    finally:
        run.write_text(original)
    assert document["score"] == 91.0 and "best earlier hand-in scored 91" in document["output"]


def test_the_reference_in_the_bundle_is_out_of_the_sandbox_reach(autograder):
    steal = f"exec(open({str(autograder / 'source' / 'solutions' / 'backprop.py')!r}).read())\n"
    document = hand_in(autograder, {"thief.py": steal.encode()})
    assert document["score"] == 0
    assert "Permission denied" in document["output"] or "PermissionError" in document["output"]


def test_install_leaves_the_reference_to_root_with_its_capabilities_only(autograder):
    """Should Landlock be missing in Gradescope's container, a worker (which drops every
    capability) still cannot read a reference owned by another user with mode 0600."""
    reference_only_for_root(autograder)


@pytest.mark.slow
def test_the_whole_install_step_gives_a_copy_that_grades_and_holds(tmp_path):
    """The install step as Gradescope runs it (a venv, pip installing the bundle's grader-src):
    that copy gives full marks to ada's notebooks, keeps the reference out of the sandbox's reach,
    and the reference is root's alone."""
    root = install(tmp_path, linked=False)
    assert (root / "venv" / "bin" / "pip").exists(), "the bundle's own venv"
    document = hand_in(root, notebooks(), {"users": [{"name": "Ada L.", "sid": "s123"}]})
    assert document["score"] == HW1.total_points and all(
        t["status"] == "passed" for t in by_name(document).values()
    )
    steal = f"exec(open({str(root / 'source' / 'solutions' / 'backprop.py')!r}).read())\n"
    document = hand_in(root, {"thief.py": steal.encode()})
    assert document["score"] == 0
    assert "Permission denied" in document["output"] or "PermissionError" in document["output"]
    reference_only_for_root(root)


def reference_only_for_root(root: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the install step changes owners only as root, as on Gradescope")
    reference = root / "source" / "solutions" / "backprop.py"
    info = reference.stat()
    assert info.st_uid != 0 and stat.S_IMODE(info.st_mode) & 0o077 == 0
    denied = subprocess.run(
        ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "cat", str(reference)], capture_output=True
    )
    assert denied.returncode != 0 and b"Permission denied" in denied.stderr
