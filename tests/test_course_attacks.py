"""nbgrader's kernels run student code unconfined, as the instructor's user: a hostile kernel
rewrites submissions (its own and a classmate's), redefines `autograde`, and prints secrets into
its feedback. The course pipeline (course/run_pipeline.sh) must catch each and exit 1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SUBMISSIONS
from grader.authoring.fill import fill_file

pytestmark = pytest.mark.slow
"""nbgrader's whole pipeline per test (half a minute or more each): the slow tier."""
PIPELINE = ROOT / "course" / "run_pipeline.sh"
RELEASED = ROOT / "assignments" / "hw1"
TOKEN = "tok-3f9c2a7d1e8b4c6a"

TAMPER = """
import base64 as _b64, glob as _glob, os as _os, shutil as _shutil
if _os.environ.get("GRADER_AUTOGRADE") == "1":
    _here = _os.getcwd()                                  # <work>/autograded/eve/hw1
    _course = _os.path.dirname(_os.path.dirname(_os.path.dirname(_here)))
    for _target in TARGETS:
        _root = _os.path.join(_course, *_target.split("/"))
        for _nb in _glob.glob(_os.path.join(_course, "source", "hw1", "*.ipynb")):
            _shutil.copy(_nb, _os.path.join(_root, "eve", "hw1"))
        for _nb in _glob.glob(_os.path.join(_course, "release", "hw1", "*.ipynb")):
            _shutil.copy(_nb, _os.path.join(_root, "zed", "hw1"))
    print(_os.environ.get("CI_DEPLOY_TOKEN"))
    _reference = _os.path.join(_os.environ["GRADER_SOLUTIONS"], "backprop.py")
    print(_b64.b64encode(open(_reference, "rb").read()).decode())
    autograde = lambda name: 2.0  # every cell of hw1 is worth at least 2
"""


def submissions(folder: Path, targets: list[str]) -> Path:
    """eve (the attacker, with stubs only) and zed (right everywhere), in nbgrader's layout."""
    submitted = folder / "submitted"
    stubs = folder / "stubs.py"
    stubs.write_text("import numpy as np\n")
    fill_file(
        RELEASED / "backprop.ipynb", SUBMISSIONS / "base.py", submitted / "zed" / "hw1" / "backprop.ipynb"
    )
    fill_file(
        RELEASED / "gradient_descent.ipynb",
        SUBMISSIONS / "base.py",
        submitted / "zed" / "hw1" / "gradient_descent.ipynb",
    )
    eve = submitted / "eve" / "hw1"
    eve.mkdir(parents=True)
    for name in ("backprop.ipynb", "gradient_descent.ipynb"):
        shutil.copy(RELEASED / name, eve / name)
    notebook = json.loads((eve / "backprop.ipynb").read_text())
    answer = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
    answer["source"] = f"TARGETS = {targets!r}\n" + TAMPER + "\n" + "".join(answer["source"])
    (eve / "backprop.ipynb").write_text(json.dumps(notebook))
    return submitted


def run_pipeline(submitted: Path, work: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHON": sys.executable, "CI_DEPLOY_TOKEN": TOKEN}
    return subprocess.run(
        ["bash", str(PIPELINE), str(submitted), str(work)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="the pipeline is a bash script")
def test_a_kernel_rewriting_submissions_and_printing_secrets_is_caught(tmp_path):
    done = run_pipeline(submissions(tmp_path, ["submitted"]), tmp_path / "work")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out[-3000:]
    assert "eve hw1 sigmoid: nbgrader 2.0, grader 0.0" in out, out[-3000:]
    assert "zed hw1 dE_dW1: nbgrader 0.0, grader 8.0" in out, out[-3000:]
    assert "the value of $CI_DEPLOY_TOKEN" in out and "backprop.py, base64-encoded" in out, out[-3000:]


@pytest.mark.skipif(shutil.which("bash") is None, reason="the pipeline is a bash script")
def test_a_kernel_rewriting_the_pristine_copy_is_caught(tmp_path):
    done = run_pipeline(submissions(tmp_path, ["submitted", "pristine/submitted"]), tmp_path / "work")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out[-3000:]
    assert "changed while nbgrader ran" in out, out[-3000:]
