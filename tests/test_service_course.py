"""Running a whole course on the service (SPEC 7.1), against `grader serve` on loopback, on
SQLite and on PostgreSQL: the grader role, manual scores (and the totals they make) and rubric
items, each with its refusals. The roster, files and pages are in test_service_course_roster.py;
extensions and settings in test_service_course_deadlines.py."""

from __future__ import annotations

import csv
import io
import time

import pytest
from coursekit import HW1_MANUAL, course_service, graded, roster_entry, score, staff_clients


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    yield from course_service(database_url, tmp_path_factory, "course")


@pytest.fixture(scope="module")
def staff(service):
    return staff_clients(service)


@pytest.fixture(scope="module")
def dan(service) -> int:
    """One graded submission shared by the refusals (graded once per module)."""
    return graded(service, "dan")[1]["id"]


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
        ("backprop_written", {"score": 1, "comment": "see file \u202etxt.exe"}, "bidirectional"),
        ("backprop_written", {"score": 1, "comment": "isolate \u2066x\u2069"}, "bidirectional"),
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
        ("/assignments/hw1/rubric/backprop_written", {"text": "right \u202eto left", "points": 1}),
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
    changed = tess.put(f"/assignments/hw1/rubric/items/{chains}", json={"text": "\u2067flipped"})
    assert changed.status_code == 400 and "bidirectional" in changed.json()["error"], changed.text
    mia = service.client(service.token("mia"))
    assert (
        mia.post("/assignments/hw1/rubric/backprop_written", json={"text": "x", "points": 1}).status_code
        == 403
    )
    assert mia.get("/assignments/hw1/rubric").status_code == 403
    assert tess.get(f"/submissions/{first['id']}").json()["manual"]["backprop_written"]["score"] == 3.0


# --- the roster ----------------------------------------------------------------------------------
