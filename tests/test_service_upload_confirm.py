"""The upload page asks before a partial hand-in (issue 18, item 3): it says what a complete
hand-in is; files lacking some of the assignment's functions are screened, not stored, and a
page names what is missing and asks; only the confirmation (its one-time key, the session's
CSRF token) hands them in. Against `grader serve` on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re

import pytest
from coursekit import BASE, course_service, logged_in
from servicekit import variant

PARTIAL = b"def sigmoid(z):\n    return 1 / (1 + 2.718281828 ** -z)\n"


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    yield from course_service(database_url, tmp_path_factory, "confirm")


def page_field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} field"
    return found.group(1)


def confirm(browser, csrf: str, key: str, **options):
    """The confirmation page's form as a browser posts it: multipart, with no file part."""
    return browser.post("/upload", files={"csrf": (None, csrf), "confirm": (None, key)}, **options)


def student(service, name: str):
    """The student's browser (logged in), their API client, and the page's CSRF token."""
    token = service.token(name)
    browser = logged_in(service, token)
    return browser, service.client(token), page_field(browser.get("/").text, "csrf")


def test_the_upload_page_says_what_a_complete_hand_in_is(service):
    browser, _, _ = student(service, "ann")
    page = browser.get("/").text
    assert "hw1: backprop.ipynb and gradient_descent.ipynb" in page
    assert "asked to confirm" in page


def test_a_partial_hand_in_is_stored_only_once_confirmed(service):
    browser, api, csrf = student(service, "ben")
    files = {"file": ("mine.py", PARTIAL)}
    asked = browser.post("/upload", files=files, data={"csrf": csrf, "assignment": "hw1"})
    assert asked.status_code == 200, asked.text
    assert (
        "Hand in a partial hw1?" in asked.text and "backprop.ipynb and gradient_descent.ipynb" in asked.text
    )
    assert "<code>forward</code>" in asked.text and "gradient_descent.ipynb: <code>" in asked.text
    assert "<code>sigmoid</code>" not in asked.text, "only the missing ones are named"
    assert api.get("/submissions").json()["submissions"] == [], "nothing stored before confirming"
    key = page_field(asked.text, "confirm")
    wrong = confirm(browser, csrf, "x" * 32)
    assert wrong.status_code == 400 and "expired or was used" in wrong.text
    assert api.get("/submissions").json()["submissions"] == []
    forged = confirm(browser, "y" * 43, key)
    assert forged.status_code == 403 and api.get("/submissions").json()["submissions"] == []
    done = confirm(browser, csrf, key, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/submissions/"), done.text
    listed = api.get("/submissions").json()["submissions"]
    assert len(listed) == 1 and listed[0]["files"] == ["mine.py"] and listed[0]["assignment"] == "hw1"
    again = confirm(browser, csrf, key)
    assert again.status_code == 400 and len(api.get("/submissions").json()["submissions"]) == 1


def test_a_confirmation_is_the_students_own(service):
    browser, api, csrf = student(service, "cat")
    asked = browser.post("/upload", files={"file": ("c.py", PARTIAL)}, data={"csrf": csrf})
    key = page_field(asked.text, "confirm")
    other, _, other_csrf = student(service, "dov")
    stolen = confirm(other, other_csrf, key)
    assert stolen.status_code == 400
    assert api.get("/submissions").json()["submissions"] == []


def test_a_complete_hand_in_goes_in_at_once(service):
    browser, api, csrf = student(service, "eli")
    done = browser.post(
        "/upload",
        files={"file": ("all.py", variant(BASE, "eli"))},
        data={"csrf": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert len(api.get("/submissions").json()["submissions"]) == 1


def test_files_of_no_function_are_refused_on_the_page_as_before(service):
    browser, api, csrf = student(service, "fay")
    refused = browser.post(
        "/upload", files={"file": ("x.py", b"def helper():\n    pass\n")}, data={"csrf": csrf}
    )
    assert refused.status_code == 400 and "defines none of hw1" in refused.text
    assert api.get("/submissions").json()["submissions"] == []


def test_questions_never_confirmed_are_charged_like_refusals_after_the_free_ones(service):
    browser, api, csrf = student(service, "gus")
    before = api.get("/me").json()["submissions_available"]
    for attempt in range(5):
        asked = browser.post("/upload", files={"file": (f"g{attempt}.py", PARTIAL)}, data={"csrf": csrf})
        assert asked.status_code == 200 and "Hand in a partial" in asked.text
    after = api.get("/me").json()["submissions_available"]
    assert after == pytest.approx(before - 2, abs=0.2), "three free, then one each"
    assert api.get("/submissions").json()["submissions"] == []


def test_held_uploads_are_one_per_account_bounded_and_expire(monkeypatch):
    from grader.service.web import upload_page

    held = upload_page.HeldUploads()
    first = held.hold("ann", "hw1", [("a.py", b"x")], None)
    second = held.hold("ann", "hw1", [("b.py", b"y")], None)
    assert held.take("ann", first) is None, "a newer question replaces the older"
    taken = held.take("ann", second)
    assert taken is not None and taken.files == [("b.py", b"y")]
    assert held.take("ann", second) is None, "used once"
    monkeypatch.setattr(upload_page, "MAX_HELD_BYTES", 10)
    old = held.hold("bea", "hw1", [("a.py", b"123456")], None)
    new = held.hold("cy", "hw1", [("a.py", b"123456")], None)
    assert held.take("bea", old) is None and held.take("cy", new) is not None, "the oldest goes first"
    monkeypatch.setattr(upload_page, "CONFIRM_SECONDS", -1.0)
    late = held.hold("dov", "hw1", [("a.py", b"x")], None)
    assert held.take("dov", late) is None, "expired"
