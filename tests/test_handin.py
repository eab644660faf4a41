"""`submit()` from a notebook's folder, as a student runs it: the released selfcheck.py and
handin.py beside the student's saved notebooks, a real service on loopback."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from servicekit import PYTHON, environment, module_service

from conftest import ROOT
from grader import assignments

NOTEBOOKS = ROOT / "examples" / "submitted" / "ada" / "hw1"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from module_service(tmp_path_factory, "handin", workers=1)


def student_folder(tmp_path):
    for name in ("selfcheck.py", "handin.py"):
        shutil.copy(ROOT / "assignments" / "hw1" / name, tmp_path / name)
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(notebook, tmp_path / notebook.name)
    return tmp_path


def run_submit(folder, url: str, token: str) -> str:
    code = f"from selfcheck import submit; submit({url!r}, {token!r})"
    done = subprocess.run([PYTHON, "-c", code], cwd=folder, capture_output=True, text=True, env=environment())
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_submit_hands_in_both_notebooks_and_prints_the_result(service, tmp_path):
    out = run_submit(student_folder(tmp_path), service.url, service.token("ada"))
    assert "Handed in as submission" in out and "Score: 92 / 92" in out
    assert "dE_dW1" in out and f"Feedback: {service.url}/submissions/" in out
    again = run_submit(tmp_path, service.url, service.token("ada"))
    assert "handed in before" in again


def test_submit_says_what_is_wrong(service, tmp_path):
    folder = student_folder(tmp_path)
    assert "Not handed in (401)" in run_submit(folder, service.url, "gt_wrong")
    (folder / "backprop.ipynb").unlink()
    assert "Not found here: backprop.ipynb" in run_submit(folder, service.url, service.token("bo"))


@pytest.mark.parametrize("assignment_id", assignments.ids())
def test_each_selfcheck_names_its_own_notebooks(assignment_id):
    namespace: dict = {}
    source = (ROOT / "assignments" / assignment_id / "selfcheck.py").read_text()
    exec(compile(source, "selfcheck.py", "exec"), namespace)  # the instructor's own file
    expected = tuple(f"{n}.ipynb" for n in assignments.get(assignment_id).notebook_names)
    assert namespace["ASSIGNMENT"] == assignment_id and namespace["NOTEBOOKS"] == expected
