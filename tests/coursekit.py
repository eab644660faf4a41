"""Shared by the tests of running a whole course on the service (SPEC 7.1): the module's service
(one per database), the staff's clients, and helpers that upload, grade and read back."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
from servicekit import ROOT, Service, variant, wait_done

from conftest import SUBMISSIONS

BASE = (SUBMISSIONS / "base.py").read_text()
HW2 = (ROOT / "tests" / "submissions" / "hw2" / "base.py").read_text()
HW1_MANUAL = {"backprop_written": 4.0, "gradient_descent_written": 4.0}


def course_service(database_url: str, tmp_path_factory, name: str) -> Iterator[Service]:
    """A module's service with two workers, stopped when the module is done."""
    running = Service(database_url, tmp_path_factory.mktemp(name), workers=2).start()
    yield running
    running.stop()


def staff_clients(service: Service) -> dict[str, httpx.Client]:
    """An instructor (prof) and a grader (tess)."""
    return {
        "prof": service.client(service.token("prof", "instructor")),
        "tess": service.client(service.token("tess", "grader")),
    }


def post(client, files: dict[str, bytes], assignment: str = "hw1"):
    return client.post(
        "/submissions",
        files=[("file", (n, d)) for n, d in files.items()],
        data={"assignment": assignment},
    )


def graded(service, student: str, source: str = BASE, assignment: str = "hw1", name: str = "answers.py"):
    """A new student's client and their graded submission."""
    client = service.client(service.token(student))
    answer = post(client, {name: variant(source, student)}, assignment)
    assert answer.status_code == 202, answer.text
    return client, wait_done(client, answer.json()["id"])


def score(client, submission_id: int, exercise: str, body) -> object:
    if isinstance(body, (bytes, str)):
        headers = {"Content-Type": "application/json"}
        return client.put(f"/submissions/{submission_id}/manual/{exercise}", content=body, headers=headers)
    return client.put(f"/submissions/{submission_id}/manual/{exercise}", json=body)


def roster_entry(client, student: str, assignment: str = "hw1") -> dict:
    answer = client.get("/roster", params={"assignment": assignment})
    assert answer.status_code == 200, answer.text
    return next(s for s in answer.json()["students"] if s["student"] == student)


# --- roles ---------------------------------------------------------------------------------------


def logged_in(service: Service, token: str) -> httpx.Client:
    """A browser-like client with a session cookie (the login form's nonce, then the token)."""
    client = httpx.Client(base_url=service.url, timeout=30)
    form = client.get("/login").text
    nonce = re.search(r'name="nonce" value="([^"]+)"', form)
    assert nonce
    answer = client.post("/login", data={"nonce": nonce.group(1), "token": token})
    assert answer.status_code == 303
    return client
