"""Per-student extensions and an assignment's settings (SPEC 7.1), against `grader serve` on
loopback, on SQLite and on PostgreSQL, with their refusals."""

from __future__ import annotations

import time

import pytest
from coursekit import HW2, course_service, post, roster_entry, staff_clients
from servicekit import variant, wait_done


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    yield from course_service(database_url, tmp_path_factory, "deadlines")


@pytest.fixture(scope="module")
def staff(service):
    return staff_clients(service)


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


def test_an_extension_may_not_shorten_the_class_deadline_or_late_window(service, staff):
    prof = staff["prof"]
    service.token("kim")
    path = "/assignments/hw2/extensions/kim"
    assert prof.put(path, json={"deadline": 1.9e9}).json()["error"].startswith("hw2 has no deadline")
    window = {"deadline": 2.0e9, "late_until": 2.1e9, "penalty_per_day": 0.1, "policy": "latest"}
    assert prof.put("/assignments/hw2", json=window).status_code == 200
    try:
        for body, expected in (
            ({"deadline": 1.9e9, "late_until": 2.2e9}, "may not shorten the class deadline"),
            ({"deadline": 2.05e9}, "takes late work until 2036-07-18"),
            ({"deadline": 2.05e9, "late_until": 2.09e9}, "may not shorten the class's late window"),
            ({"deadline": -5, "late_until": 2.2e9}, "before 1970"),
        ):
            refused = prof.put(path, json=body)
            assert refused.status_code == 400 and expected in refused.json()["error"], (body, refused.text)
        assert roster_entry(prof, "kim", "hw2")["extension"] is None, "nothing stored"
        granted = prof.put(path, json={"deadline": 2.05e9, "late_until": 2.1e9})
        assert granted.status_code == 200, granted.text
        assert prof.put(path, json={"deadline": 2.2e9}).status_code == 200, "later than the late window"
    finally:
        prof.delete(path)
        reopen = {"deadline": None, "late_until": None, "penalty_per_day": 0, "policy": "latest"}
        assert prof.put("/assignments/hw2", json=reopen).status_code == 200


@pytest.mark.one_database
def test_a_class_deadline_moved_past_an_extension_applies_to_its_student_too(tmp_path):
    from grader.service.accounts import ensure_account
    from grader.service.deadlines import change_settings
    from grader.service.extensions import grant, student_settings
    from grader.service.store.database import open_database, writing

    engine = open_database(f"sqlite:///{tmp_path}/db.sqlite")
    with writing(engine) as connection:
        ensure_account(connection, "kim", "student", "", "", "")
        ensure_account(connection, "prof", "instructor", "", "", "")
        change_settings(connection, "hw2", {"deadline": 1.0e9})
        grant(connection, "hw2", "kim", 1.1e9, None, "prof")
        change_settings(connection, "hw2", {"deadline": 1.2e9, "late_until": 1.3e9})
        moved = student_settings(connection, "hw2", "kim")
        assert (moved.deadline, moved.late_until) == (1.2e9, 1.3e9)
        change_settings(connection, "hw2", {"deadline": None, "late_until": None})
        assert student_settings(connection, "hw2", "kim").deadline is None
    engine.dispose()
