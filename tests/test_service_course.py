"""Running a whole course on the service (SPEC 7.1), against `grader serve` on loopback, on
SQLite and on PostgreSQL: the grader role, manual scores (and the totals they make), the roster
as the gradebook, a submission's files, per-student extensions, and settings that keep what a
change leaves out. Each row of 7.1 is tested with its refusals."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time

import pytest
from servicekit import ROOT, Service, variant, wait_done

from conftest import SUBMISSIONS

BASE = (SUBMISSIONS / "base.py").read_text()
HW2 = (ROOT / "tests" / "submissions" / "hw2" / "base.py").read_text()
HW1_MANUAL = {"backprop_written": 4.0, "gradient_descent_written": 4.0}


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    running = Service(database_url, tmp_path_factory.mktemp("course"), workers=2).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def dan(service) -> int:
    """One graded submission shared by the refusals (graded once per module)."""
    return graded(service, "dan")[1]["id"]


@pytest.fixture(scope="module")
def staff(service):
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


def test_a_grader_reads_every_submission_and_changes_nothing_but_manual_scores(service, staff):
    ada, mine = graded(service, "ada")
    tess = staff["tess"]
    assert tess.get("/me").json()["role"] == "grader"
    assert tess.get(f"/submissions/{mine['id']}").json()["student"] == "ada"
    assert mine["id"] in [s["id"] for s in tess.get("/submissions").json()["submissions"]]
    assert tess.get("/results", params={"assignment": "hw1"}).status_code == 200
    assert tess.get("/roster", params={"assignment": "hw1"}).status_code == 200
    for refused in (
        tess.put("/assignments/hw1", json={"policy": "best"}),
        tess.post("/regrade", json={"assignment": "hw1", "student": "ada"}),
        tess.put("/assignments/hw1/extensions/ada", json={"deadline": time.time()}),
        tess.get("/queue"),
    ):
        assert refused.status_code == 403 and "error" in refused.json(), refused.text
    assert staff["prof"].get("/assignments").json()["assignments"][0]["policy"] == "latest"


def test_students_are_refused_the_grader_routes_with_403(service):
    bob, mine = graded(service, "bob")
    for refused in (
        score(bob, mine["id"], "backprop_written", {"score": 4, "comment": "self-graded"}),
        bob.get("/roster", params={"assignment": "hw1"}),
        bob.get("/results", params={"assignment": "hw1"}),
        bob.put("/assignments/hw1/extensions/bob", json={"deadline": time.time() + 9e5}),
    ):
        assert refused.status_code == 403 and "error" in refused.json(), refused.text
    assert bob.get(f"/submissions/{mine['id']}").json()["manual"]["backprop_written"]["score"] is None


def test_token_create_makes_grader_tokens(service):
    import subprocess

    from servicekit import PYTHON, environment

    done = subprocess.run(
        [PYTHON, "-m", "grader", "token", "create", "--db", service.db_url, "--grader", "uma"],
        capture_output=True,
        text=True,
        env=environment(),
    )
    assert done.returncode == 0, done.stderr
    me = service.client(done.stdout.strip()).get("/me").json()
    assert me["id"] == "uma" and me["role"] == "grader"


# --- manual scores -------------------------------------------------------------------------------


def test_manual_scores_are_stored_with_who_and_when_and_count_in_the_totals(service, staff):
    carol, mine = graded(service, "carol")
    sid = mine["id"]
    assert mine["manual"] == {
        name: {"score": None, "max_score": points, "comment": None, "by": None, "at": None, "rubric": []}
        for name, points in HW1_MANUAL.items()
    }
    assert mine["total_score"] == 92.0 and mine["total_max_score"] == 100.0 and mine["final_score"] == 92.0
    before = time.time()
    answer = score(staff["tess"], sid, "backprop_written", {"score": 3.5, "comment": "<b>shapes</b> ok"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    entry = body["manual"]["backprop_written"]
    assert entry["score"] == 3.5 and entry["max_score"] == 4.0 and entry["comment"] == "<b>shapes</b> ok"
    assert entry["by"] == "tess" and before - 1 <= entry["at"] <= time.time() + 1
    assert body["total_score"] == 95.5 and body["final_score"] == 95.5 and body["total_max_score"] == 100.0
    assert body["result"]["score"] == 92.0, "the section 5 object is the autograder's, unchanged"
    # The instructor corrects it; the student sees the newest score and comment.
    score(staff["prof"], sid, "backprop_written", {"score": 2, "comment": "W1's shape is wrong"})
    seen = carol.get(f"/submissions/{sid}").json()
    assert seen["manual"]["backprop_written"] | {"at": 0} == {
        "score": 2.0,
        "max_score": 4.0,
        "comment": "W1's shape is wrong",
        "by": "prof",
        "at": 0,
        "rubric": [],
    }
    assert seen["manual"]["gradient_descent_written"]["score"] is None and seen["total_score"] == 94.0
    results = staff["prof"].get("/results", params={"assignment": "hw1"}).json()["submissions"]
    counted = next(e for e in results if e["student"] == "carol")
    assert counted["total_score"] == 94.0 and counted["total_max_score"] == 100.0
    assert counted["final_score"] == 94.0 and counted["manual"]["backprop_written"]["score"] == 2.0
    rows = list(csv.DictReader(io.StringIO(staff["prof"].get("/results.csv?assignment=hw1").text)))
    row = next(r for r in rows if r["student_id"] == "carol")
    assert row["backprop_written"] == "2" and row["gradient_descent_written"] == ""
    assert row["total_score"] == "94" and row["total_max_score"] == "100" and row["score"] == "94"
    assert row["raw_score"] == "94" and row["max_score"] == "100" and row["sigmoid"] == "2"
    assert row["state"] == "needs-manual" and row["auto_score"] == "92" and row["manual_score"] == "2"


@pytest.mark.parametrize(
    ("exercise", "body", "expected"),
    [
        ("sigmoid", {"score": 1}, "not a manually graded part"),  # autograded
        ("momentum_written", {"score": 1}, "not a manually graded part"),  # hw2's
        ("nope", {"score": 1}, "not a manually graded part"),
        ("backprop_written", {"score": -0.5}, "between 0 and 4"),
        ("backprop_written", {"score": 4.01}, "between 0 and 4"),
        ("backprop_written", {"score": 10**400}, "between 0 and 4"),
        ("backprop_written", '{"score": NaN}', "finite"),
        ("backprop_written", '{"score": Infinity}', "finite"),
        ("backprop_written", '{"score": -Infinity}', "finite"),
        ("backprop_written", {"score": "3"}, "number"),
        ("backprop_written", {"score": True}, "number"),
        ("backprop_written", {"score": None}, "number"),
        ("backprop_written", {"comment": "no score"}, "number"),
        ("backprop_written", [3], "send JSON"),
        ("backprop_written", "not json", "send JSON"),
        ("backprop_written", {"score": 1, "comment": 7}, "text"),
        ("backprop_written", {"score": 1, "comment": "x" * 20_001}, "longer than"),
        ("backprop_written", {"score": 1, "comment": "nul \u0000 byte"}, "printable"),
        ("backprop_written", '{"score": 1, "comment": "\\ud800"}', "printable"),
        ("backprop_written", "[" * 100_000 + "]" * 100_000, "send JSON"),
        ("backprop_written", '{"score": 1, "comment": ' + "[" * 100_000 + "]" * 100_000 + "}", "send JSON"),
    ],
)
def test_bad_manual_scores_are_400_and_store_nothing(service, staff, dan, exercise, body, expected):
    sid = dan
    answer = score(staff["tess"], sid, exercise, body)
    assert answer.status_code == 400, answer.text
    assert expected in answer.json()["error"], answer.text
    seen = staff["tess"].get(f"/submissions/{sid}").json()
    assert all(v["score"] is None for v in seen["manual"].values())


def test_manual_scores_need_a_known_submission(service, staff):
    answer = score(staff["tess"], 999_999, "backprop_written", {"score": 1})
    assert answer.status_code == 404 and "error" in answer.json()
    assert score(staff["tess"], 0, "backprop_written", {"score": 1}).status_code == 400


def test_manual_scores_survive_a_regrade_of_the_same_submission(service, staff):
    eve, mine = graded(service, "eve")
    sid = mine["id"]
    for name in HW1_MANUAL:
        assert score(staff["tess"], sid, name, {"score": 4, "comment": "clear"}).status_code == 200
    assert staff["prof"].post("/regrade", json={"assignment": "hw1", "student": "eve"}).status_code == 202
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        seen = eve.get(f"/submissions/{sid}").json()
        if seen["generation"] == 1 and not seen["regrading"]:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the regrade did not finish")
    assert all(seen["manual"][name]["score"] == 4.0 for name in HW1_MANUAL)
    assert seen["total_score"] == 100.0 and seen["final_score"] == 100.0
    assert roster_entry(staff["tess"], "eve")["state"] == "complete"


# --- rubric items --------------------------------------------------------------------------------


def test_rubric_items_set_scores_and_a_changed_item_updates_every_answer_using_it(service, staff):
    tess, prof = staff["tess"], staff["prof"]
    _, first = graded(service, "mia")
    _, second = graded(service, "ned")

    def item(text: str, points: float, part: str = "backprop_written") -> int:
        answer = tess.post(f"/assignments/hw1/rubric/{part}", json={"text": text, "points": points})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    chains, shapes, cost = (
        item("Both chains right", 3),
        item("Every shape given", 1),
        item("No cost count", -1),
    )
    other = item("Names best_rate", 2, "gradient_descent_written")
    listed = [i["id"] for i in tess.get("/assignments/hw1/rubric").json()["items"]]
    assert {chains, shapes, cost, other} <= set(listed)
    applied = score(tess, first["id"], "backprop_written", {"rubric": [chains, shapes], "comment": "good"})
    assert applied.status_code == 200, applied.text
    entry = applied.json()["manual"]["backprop_written"]
    assert (
        entry["score"] == 4.0 and entry["rubric"] == sorted([chains, shapes]) and entry["comment"] == "good"
    )
    assert (
        score(tess, second["id"], "backprop_written", {"rubric": [chains, cost]}).json()["total_score"] == 94
    )
    assert prof.put(f"/assignments/hw1/rubric/items/{chains}", json={"points": 2}).json()["points"] == 2
    seen = {s: tess.get(f"/submissions/{s}").json() for s in (first["id"], second["id"])}
    assert seen[first["id"]]["manual"]["backprop_written"]["score"] == 3.0
    assert seen[second["id"]]["manual"]["backprop_written"]["score"] == 1.0
    assert seen[second["id"]]["total_score"] == 93.0
    # A score entered by hand replaces the items; changing them no longer touches it.
    assert (
        score(tess, second["id"], "backprop_written", {"score": 2.5}).json()["manual"]["backprop_written"][
            "rubric"
        ]
        == []
    )
    tess.put(f"/assignments/hw1/rubric/items/{cost}", json={"points": -2})
    assert tess.get(f"/submissions/{second['id']}").json()["manual"]["backprop_written"]["score"] == 2.5
    # Refusals: bad items, items of another part, and students.
    for path, body in (
        ("/assignments/hw1/rubric/backprop_written", {"text": "too much", "points": 4.5}),
        ("/assignments/hw1/rubric/backprop_written", {"text": "", "points": 1}),
        ("/assignments/hw1/rubric/backprop_written", {"text": "x", "points": True}),
        ("/assignments/hw1/rubric/sigmoid", {"text": "autograded", "points": 1}),
        ("/assignments/hw9/rubric/backprop_written", {"text": "x", "points": 1}),
    ):
        refused = tess.post(path, json=body)
        assert refused.status_code == 400 and "error" in refused.json(), (path, body)
    for body in ({"rubric": [other]}, {"rubric": [999_999]}, {"rubric": "all"}, {"rubric": [True]}):
        refused = score(tess, first["id"], "backprop_written", body)
        assert refused.status_code == 400 and "error" in refused.json(), body
    assert tess.put("/assignments/hw1/rubric/items/999999", json={"points": 1}).status_code == 404
    assert tess.put(f"/assignments/hw2/rubric/items/{chains}", json={"points": 1}).status_code == 404
    assert tess.put(f"/assignments/hw1/rubric/items/{chains}", json={"points": "2"}).status_code == 400
    mia = service.client(service.token("mia"))
    assert (
        mia.post("/assignments/hw1/rubric/backprop_written", json={"text": "x", "points": 1}).status_code
        == 403
    )
    assert mia.get("/assignments/hw1/rubric").status_code == 403
    assert tess.get(f"/submissions/{first['id']}").json()["manual"]["backprop_written"]["score"] == 3.0


# --- the roster ----------------------------------------------------------------------------------


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


def test_an_extension_opens_a_closed_assignment_for_one_student_with_their_own_late_days(service, staff):
    prof = staff["prof"]
    kim = service.client(service.token("kim"))
    lou = service.client(service.token("lou"))
    now = time.time()
    closed = {"deadline": now - 3 * 86400, "late_until": None, "penalty_per_day": 0.25, "policy": "latest"}
    assert prof.put("/assignments/hw2", json=closed).status_code == 200
    try:
        assert post(lou, {"momentum.py": variant(HW2, "lou")}, "hw2").status_code == 403
        granted = prof.put(
            "/assignments/hw2/extensions/kim", json={"deadline": now - 1.5 * 86400, "late_until": now + 86400}
        )
        assert granted.status_code == 200, granted.text
        assert granted.json()["deadline"] == now - 1.5 * 86400 and granted.json()["student"] == "kim"
        assert post(lou, {"momentum.py": variant(HW2, "lou")}, "hw2").status_code == 403, "only kim's"
        answer = post(kim, {"momentum.py": variant(HW2, "kim")}, "hw2")
        assert answer.status_code == 202, answer.text
        done = wait_done(kim, answer.json()["id"])
        assert done["late_days"] == pytest.approx(1.5, abs=0.01) and done["penalty"] == pytest.approx(0.5)
        assert done["extension"]["deadline"] == now - 1.5 * 86400 and done["extension"]["late_until"]
        assert done["final_score"] == pytest.approx(done["result"]["score"] * 0.5)
        entry = roster_entry(prof, "kim", "hw2")
        assert entry["extension"]["deadline"] == now - 1.5 * 86400 and entry["late_penalty"] == 0.5
        assert roster_entry(prof, "lou", "hw2")["extension"] is None
        # Moved later after the fact: the earlier submission is no longer late.
        later = {"deadline": now + 86400, "late_until": None}
        assert prof.put("/assignments/hw2/extensions/kim", json=later).status_code == 200
        again = kim.get(f"/submissions/{done['id']}").json()
        assert again["penalty"] == 0 and again["late_days"] == 0 and again["extension"]["late_until"] is None
        assert prof.delete("/assignments/hw2/extensions/kim").status_code == 200
        assert post(kim, {"momentum.py": variant(HW2, "kim2")}, "hw2").status_code == 403
    finally:
        reopen = {"deadline": None, "late_until": None, "penalty_per_day": 0, "policy": "latest"}
        assert prof.put("/assignments/hw2", json=reopen).status_code == 200


@pytest.mark.parametrize(
    ("student", "body", "status", "expected"),
    [
        ("nobody", {"deadline": 1.9e9}, 404, "nobody"),
        ("bad id!", {"deadline": 1.9e9}, 400, "not a valid id"),
        ("kim", {"deadline": 1.9e9, "late_until": 1.8e9}, 400, "must not come before"),
        ("kim", {"late_until": 1.9e9}, 400, "required"),
        ("kim", {"deadline": "tomorrow"}, 400, "number"),
        ("kim", {"deadline": True}, 400, "number"),
        ("kim", '{"deadline": NaN}', 400, "finite"),
        ("kim", '{"deadline": 1.9e9, "late_until": Infinity}', 400, "finite"),
        ("kim", {"deadline": 1.9e15}, 400, "plausible"),
        ("kim", [1], 400, "send JSON"),
        ("kim", "{", 400, "send JSON"),
        ("kim", "[" * 100_000 + "]" * 100_000, 400, "send JSON"),
        ("kim", {"deadline": 1.9e9, "late_untill": 2e9}, 400, "unknown field(s): late_untill"),
        ("prof", {"deadline": 1.9e9}, 404, "no student 'prof'"),
    ],
)
def test_bad_extensions_are_refused_naming_what_is_wrong(service, staff, student, body, status, expected):
    service.token("kim") if student == "kim" else None
    path = f"/assignments/hw2/extensions/{student}"
    if isinstance(body, str):
        answer = staff["prof"].put(path, content=body, headers={"Content-Type": "application/json"})
    else:
        answer = staff["prof"].put(path, json=body)
    assert answer.status_code == status, answer.text
    assert expected in answer.json()["error"]
    assert staff["prof"].put("/assignments/hw9/extensions/kim", json={"deadline": 1.9e9}).status_code == 400


def test_put_assignment_keeps_what_it_leaves_out(service, staff):
    prof = staff["prof"]
    full = {"deadline": 2.0e9, "late_until": 2.1e9, "penalty_per_day": 0.1, "policy": "best"}
    assert prof.put("/assignments/hw2", json=full).status_code == 200
    try:
        answer = prof.put("/assignments/hw2", json={"deadline": 2.05e9})
        assert answer.status_code == 200
        assert answer.json() == {**full, "deadline": 2.05e9, "assignment": "hw2"}
        listed = {a["assignment"]: a for a in prof.get("/assignments").json()["assignments"]}
        assert listed["hw2"] == {**full, "deadline": 2.05e9, "assignment": "hw2"}
        assert prof.put("/assignments/hw2", json={"polcy": "latest"}).status_code == 400
        assert prof.put("/assignments/hw2", json={"deadline": 2.2e9}).status_code == 400, "after late_until"
        for bad in ('{"penalty_per_day": NaN}', '{"deadline": Infinity}', "[]", '{"policy": 3}'):
            refused = prof.put("/assignments/hw2", content=bad, headers={"Content-Type": "application/json"})
            assert refused.status_code == 400 and "error" in refused.json(), bad
        assert prof.get("/assignments").json()["assignments"][1] == listed["hw2"], "nothing changed"
    finally:
        reopen = {"deadline": None, "late_until": None, "penalty_per_day": 0, "policy": "latest"}
        assert prof.put("/assignments/hw2", json=reopen).status_code == 200


def test_the_submission_object_keeps_every_key_of_section_7(service):
    _, mine = graded(service, "kate")
    for key in ("id", "student", "assignment", "status", "position", "result", "final_score", "penalty"):
        assert key in mine
    assert json.loads(json.dumps(mine["result"]))["score"] == 92.0


# --- pages ---------------------------------------------------------------------------------------


def _logged_in(service, token: str):
    import re

    import httpx

    client = httpx.Client(base_url=service.url, timeout=30)
    form = client.get("/login").text
    nonce = re.search(r'name="nonce" value="([^"]+)"', form)
    assert nonce
    answer = client.post("/login", data={"nonce": nonce.group(1), "token": token})
    assert answer.status_code == 303
    return client


def test_the_student_reads_manual_scores_and_comments_on_the_page_escaped(service, staff):
    token = service.token("lea")
    lea = service.client(token)
    sid = post(lea, {"lea.py": variant(BASE, "lea")}).json()["id"]
    wait_done(lea, sid)
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>\nsecond line'
    entered = score(staff["tess"], sid, "backprop_written", {"score": 2.5, "comment": hostile})
    assert entered.status_code == 200
    page = _logged_in(service, token).get(f"/submissions/{sid}")
    assert page.status_code == 200
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"
    assert escaped in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "2.5 / 4.0" in page.text and "awaiting grading" in page.text and "94.5 / 100.0" in page.text
    home = _logged_in(service, token).get("/")
    assert "94.5 / 100.0" in home.text
