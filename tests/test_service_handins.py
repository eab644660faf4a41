"""Uploads that cannot be mistaken (SPEC 7.1): the assignment comes from the form or, when the
form names none, from the functions the files define; a hand-in defining none of the
assignment's functions is refused naming what it does define, at no cost; one defining only
some is accepted and the absent ones are listed."""

from __future__ import annotations

import pytest
from servicekit import module_service, variant

from conftest import LIBRARY, ROOT, SUBMISSIONS
from grader import assignments
from grader.authoring.fill import fill_file

HW1 = (SUBMISSIONS / "base.py").read_text()
HW2 = (LIBRARY / "hw2" / "base.py").read_text()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from module_service(tmp_path_factory, "handins", workers=0)


def _functions(assignment: str) -> list[str]:
    return [e.name for e in assignments.get(assignment).exercises]


def test_a_hw2_hand_in_sent_as_hw1_is_refused_naming_hw2(service):
    client = service.client(service.token("mixup"))
    answer = client.post(
        "/submissions", files={"file": ("momentum.py", variant(HW2, "a"))}, data={"assignment": "hw1"}
    )
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error.startswith("the upload defines none of hw1's functions (sigmoid, forward")
    assert "which are hw2's: hand it in as hw2" in error and "momentum_step" in error
    assert client.get("/submissions").json()["submissions"] == []
    assert client.get("/me").json()["submissions_available"] == pytest.approx(6, abs=0.1)


def test_nothing_of_any_assignment_is_refused_naming_what_it_defines(service):
    client = service.client(service.token("nothing"))
    answer = client.post("/submissions", files={"file": ("mine.py", b"def helper(x):\n    return x\n")})
    assert answer.status_code == 400
    assert answer.json()["error"].endswith("it defines only helper")


def test_without_an_assignment_the_files_decide(service):
    client = service.client(service.token("inferred"))
    answer = client.post("/submissions", files={"file": ("momentum.py", variant(HW2, "b"))})
    assert answer.status_code == 202, answer.text
    assert answer.json()["assignment"] == "hw2" and answer.json()["missing"] == []
    assert client.get(f"/submissions/{answer.json()['id']}").json()["assignment"] == "hw2"


def test_one_notebook_of_two_is_accepted_and_the_absent_functions_are_listed(service, tmp_path):
    fill_file(ROOT / "assignments" / "hw1" / "backprop.ipynb", SUBMISSIONS / "base.py", tmp_path / "b.ipynb")
    client = service.client(service.token("half"))
    answer = client.post(
        "/submissions",
        files={"file": ("backprop.ipynb", (tmp_path / "b.ipynb").read_bytes())},
        data={"assignment": "hw1"},
    )
    assert answer.status_code == 202, answer.text
    gradient_descent = [e.name for e in assignments.get("hw1").exercises if e.notebook == "gradient_descent"]
    assert answer.json()["missing"] == gradient_descent and gradient_descent == _functions("hw1")[-7:]
