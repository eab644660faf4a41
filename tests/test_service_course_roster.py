"""The roster as the gradebook, a submission's files and the student's page (SPEC 7.1), against
`grader serve` on loopback, on SQLite and on PostgreSQL, with their refusals."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time

import pytest
from coursekit import BASE, course_service, graded, logged_in, post, roster_entry, score, staff_clients
from servicekit import ROOT, variant, wait_done


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    yield from course_service(database_url, tmp_path_factory, "roster")


@pytest.fixture(scope="module")
def staff(service):
    return staff_clients(service)


def test_the_roster_lists_every_student_with_their_state(service, staff):
    from grader.service.accounts import ensure_account
    from grader.service.store.database import writing

    engine = service.engine()
    with writing(engine) as connection:  # imported from a roster, no token used yet
        ensure_account(connection, "imogen", "student", "Imogen", "=cmd|' /C calc'!A0", "i@example.org")
    engine.dispose()
    service.token("nick")  # holds a token, never submits
    _, frank = graded(service, "frank")
    slow_client = service.client(service.token("gwen"))
    slow = post(slow_client, {"gwen.py": variant(BASE, "gwen", sleep=6)})
    assert slow.status_code == 202
    tess = staff["tess"]
    entries = {s["student"]: s for s in tess.get("/roster", params={"assignment": "hw1"}).json()["students"]}
    assert {"imogen", "nick", "frank", "gwen"} <= set(entries)
    assert not {"tess", "prof"} & set(entries), "staff who never submitted are not students"
    for absent in ("imogen", "nick"):
        assert entries[absent] | {"first_name": "", "last_name": "", "manual": None} == {
            "student": absent,
            "first_name": "",
            "last_name": "",
            "submissions": 0,
            "counted": None,
            "auto_score": None,
            "manual_score": None,
            "late_penalty": None,
            "final_score": None,
            "total_score": None,
            "total_max_score": 100.0,
            "manual": None,
            "state": "missing",
            "extension": None,
        }
    assert entries["gwen"]["state"] == "pending" and entries["gwen"]["submissions"] == 1
    assert entries["frank"]["state"] == "needs-manual" and entries["frank"]["counted"] == frank["id"]
    assert entries["frank"]["auto_score"] == 92.0 and entries["frank"]["manual_score"] == 0
    score(tess, frank["id"], "backprop_written", {"score": 3})
    assert roster_entry(tess, "frank")["state"] == "needs-manual", "one part still to grade"
    score(tess, frank["id"], "gradient_descent_written", {"score": 1.5})
    done = roster_entry(tess, "frank")
    assert done["state"] == "complete" and done["manual_score"] == 4.5 and done["final_score"] == 96.5
    rows = list(csv.DictReader(io.StringIO(staff["prof"].get("/results.csv?assignment=hw1").text)))
    imogen = next(r for r in rows if r["student_id"] == "imogen")
    assert imogen["state"] == "missing" and imogen["score"] == "" and imogen["raw_score"] == ""
    assert imogen["submission_id"] == "" and imogen["last_name"].startswith("'=")
    assert next(r for r in rows if r["student_id"] == "nick")["state"] == "missing"
    assert next(r for r in rows if r["student_id"] == "frank")["state"] == "complete"
    wait_done(slow_client, slow.json()["id"])
    assert roster_entry(tess, "gwen")["state"] == "needs-manual"
    assert tess.get("/roster", params={"assignment": "hw9"}).status_code == 400
    assert tess.get("/roster").status_code == 400


# --- files ---------------------------------------------------------------------------------------


def test_a_submissions_files_come_back_exactly_as_uploaded_to_owner_and_staff(service, staff):
    hal = service.client(service.token("hal"))
    notebook = (ROOT / "examples" / "submitted" / "ada" / "hw1" / "backprop.ipynb").read_bytes()
    other = variant(BASE, "hal").replace(b"\n", b"\r\n")  # bytes as sent: no newline rewriting
    answer = post(hal, {"backprop.ipynb": notebook, "my answers.py": other})
    assert answer.status_code == 202, answer.text
    sid = answer.json()["id"]
    uploaded = {"backprop.ipynb": notebook, "my answers.py": other}
    for client in (hal, staff["tess"], staff["prof"]):
        listed = client.get(f"/submissions/{sid}/files")
        assert listed.status_code == 200, listed.text
        files = {f["name"]: f for f in listed.json()["files"]}
        assert set(files) == set(uploaded)
        for name, data in uploaded.items():
            assert files[name]["size"] == len(data)
            assert files[name]["sha256"] == hashlib.sha256(data).hexdigest()
            got = client.get(f"/submissions/{sid}/files/{name}")
            assert got.status_code == 200 and got.content == data
            assert got.headers["content-type"] == "application/octet-stream"
            assert got.headers["x-content-type-options"] == "nosniff"
            assert got.headers["content-disposition"].startswith("attachment;")
    spaced = hal.get(f"/submissions/{sid}/files/my answers.py").headers["content-disposition"]
    assert 'filename="my_answers.py"' in spaced and "filename*=UTF-8''my%20answers.py" in spaced
    ivy = service.client(service.token("ivy"))
    for refused in (
        ivy.get(f"/submissions/{sid}/files"),
        ivy.get(f"/submissions/{sid}/files/backprop.ipynb"),
        hal.get(f"/submissions/{sid}/files/other.py"),
        hal.get(f"/submissions/{sid}/files/../../etc/passwd"),
        hal.get(f"/submissions/{sid}/files/%2e%2e%2fbackprop.ipynb"),
        hal.get("/submissions/999999/files"),
        hal.get("/submissions/999999/files/backprop.ipynb"),
    ):
        assert refused.status_code == 404 and "error" in refused.json(), refused.text


def test_files_removed_by_retention_are_listed_and_answered_410(service, staff):
    from sqlalchemy import delete, update

    from grader.service.store.database import writing
    from grader.service.store.schema import submission_files, submissions

    jack = service.client(service.token("jack"))
    sid = post(jack, {"jack.py": variant(BASE, "jack")}).json()["id"]
    wait_done(jack, sid)
    engine = service.engine()
    with writing(engine) as connection:  # what retention.prune does
        connection.execute(delete(submission_files).where(submission_files.c.submission_id == sid))
        connection.execute(update(submissions).where(submissions.c.id == sid).values(pruned_at=time.time()))
    engine.dispose()
    listed = staff["prof"].get(f"/submissions/{sid}/files").json()
    assert listed["files"] == [{"name": "jack.py", "size": None, "sha256": None, "removed": True}]
    assert listed["pruned_at"] is not None
    gone = jack.get(f"/submissions/{sid}/files/jack.py")
    assert gone.status_code == 410 and "removed" in gone.json()["error"]
    assert jack.get(f"/submissions/{sid}/files/nope.py").status_code == 404


# --- extensions and settings ---------------------------------------------------------------------


def test_the_submission_object_keeps_every_key_of_section_7(service):
    _, mine = graded(service, "kate")
    for key in ("id", "student", "assignment", "status", "position", "result", "final_score", "penalty"):
        assert key in mine
    assert json.loads(json.dumps(mine["result"]))["score"] == 92.0


# --- pages ---------------------------------------------------------------------------------------


def test_the_student_reads_manual_scores_and_comments_on_the_page_escaped(service, staff):
    token = service.token("lea")
    lea = service.client(token)
    sid = post(lea, {"lea.py": variant(BASE, "lea")}).json()["id"]
    wait_done(lea, sid)
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>\nsecond line'
    entered = score(staff["tess"], sid, "backprop_written", {"score": 2.5, "comment": hostile})
    assert entered.status_code == 200
    page = logged_in(service, token).get(f"/submissions/{sid}")
    assert page.status_code == 200
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"
    assert escaped in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "2.5 / 4.0" in page.text and "awaiting grading" in page.text and "94.5 / 100.0" in page.text
    home = logged_in(service, token).get("/")
    assert "94.5 / 100.0" in home.text
