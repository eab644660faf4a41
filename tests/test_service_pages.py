"""The service's web pages over real HTTP, as a browser would use them without JavaScript:
login and cookies, CSRF on every form, other origins refused, security headers, students kept
to their own pages, and student text escaped everywhere it is shown."""

from __future__ import annotations

import re

import httpx
import pytest
from servicekit import Service, module_service, wait_done

from conftest import SUBMISSIONS

BASE = (SUBMISSIONS / "base.py").read_bytes()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from module_service(tmp_path_factory, "pages", workers=1)


def field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert match, f"no {name} field"
    return match.group(1)


def browser(service: Service, token: str) -> tuple[httpx.Client, str]:
    """A logged-in client (cookies kept) and the session's CSRF token."""
    client = httpx.Client(base_url=service.url, timeout=30)
    form = client.get("/login")
    answer = client.post("/login", data={"nonce": field(form.text, "nonce"), "token": token})
    assert answer.status_code == 303
    home = client.get(answer.headers["location"])
    return client, field(home.text, "csrf")


def test_login_sets_a_strict_httponly_session_cookie(service):
    client = httpx.Client(base_url=service.url)
    form = client.get("/login")
    assert "httponly" in form.headers["set-cookie"].lower()
    answer = client.post("/login", data={"nonce": field(form.text, "nonce"), "token": service.token("ada")})
    cookie = answer.headers["set-cookie"].lower()
    assert answer.status_code == 303 and "grader_session=" in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert client.get("/").status_code == 200


def test_a_login_without_the_form_nonce_or_with_a_bad_token_fails(service):
    bare = httpx.post(service.url + "/login", data={"token": service.token("bea")})
    assert bare.status_code == 403 and "grader_session" not in bare.headers.get("set-cookie", "")
    client = httpx.Client(base_url=service.url)
    form = client.get("/login")
    wrong = client.post("/login", data={"nonce": field(form.text, "nonce"), "token": "gt_nope"})
    assert wrong.status_code == 401 and "not valid" in wrong.text


def test_every_page_carries_the_security_headers(service):
    client, _ = browser(service, service.token("cy"))
    for path in ("/login", "/", "/style.css", "/static/live.js", "/api/v1/health"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_uploads_need_the_csrf_token_and_this_origin(service):
    client, csrf = browser(service, service.token("dee"))
    files = {"file": ("a.py", BASE)}
    assert client.post("/upload", files=files, data={"assignment": "hw1"}).status_code == 403
    assert (
        client.post("/upload", files=files, data={"assignment": "hw1", "csrf": "x" * 43}).status_code == 403
    )
    foreign = client.post(
        "/upload",
        files=files,
        data={"assignment": "hw1", "csrf": csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert "Nothing handed in yet" in client.get("/").text
    done = client.post("/upload", files=files, data={"assignment": "hw1", "csrf": csrf})
    assert done.status_code == 303 and done.headers["location"].startswith("/submissions/")
    assert client.post("/logout", data={}).status_code == 403, "logout needs the token too"


def test_students_reach_only_their_own_pages(service):
    ada, ada_csrf = browser(service, service.token("eda"))
    mine = ada.post("/upload", files={"file": ("a.py", BASE + b"\n# eda\n")}, data={"csrf": ada_csrf})
    page = mine.headers["location"]
    other, _ = browser(service, service.token("fay"))
    assert other.get(page).status_code == 404
    assert other.get(page + "/status.json").status_code == 404
    assert other.get(page + "/status.json", params={"wait": 30}).status_code == 404
    own = ada.get(page + "/status.json", params={"wait": 30}).json()
    assert own["status"] == "done", "the page's question waits for the result"
    assert ada.get(page + "/status.json", params={"wait": 31}).status_code == 400
    assert other.get("/dashboard").headers.get("location", "").endswith("/login")
    assert other.get("/dashboard/live.json").status_code == 403
    assert other.get("/dashboard/results.csv").status_code == 403


def test_student_text_is_escaped_on_every_page(service):
    from grader.service.accounts import ensure_account
    from grader.service.store.database import writing

    with writing(service.engine()) as connection:
        ensure_account(
            connection, "gil", "student", "<img src=x onerror=alert(1)>", "</title><script>x()</script>"
        )
    client, csrf = browser(service, service.token("gil"))
    hostile = BASE + b"\ndef sigmoid(z):\n    raise ValueError('<script>alert(\"owned\")</script>')\n"
    location = client.post("/upload", files={"file": ("a.py", hostile)}, data={"csrf": csrf}).headers[
        "location"
    ]
    submission_id = int(location.rsplit("/", 1)[1])
    api = service.client(service.token("prof-gil", "instructor"))
    wait_done(api, submission_id)
    page = client.get(location).text
    assert "&lt;script&gt;alert(" in page and "<script>alert" not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    instructor, _ = browser(service, service.token("prof-gil", "instructor"))
    dashboard = instructor.get("/dashboard").text
    assert "<script>x()" not in dashboard
