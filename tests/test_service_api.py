"""The grading service's HTTP API (SPEC section 7) driven with a real HTTP client against
`grader serve` on loopback, on SQLite and on PostgreSQL: what students and instructors do, what
they may not do, and results equal to `grader grade` on the same files.

One service per module and database. A test marked one_database (what happens before the
database, or the same rows read back) runs on SQLite alone; the rest, which differ between
databases (queue and results, policies and penalties, regrades, the bucket, deduplication, CSV
joins, waits answered from the database), run on both."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from servicekit import Service, grade_with_cli, same_grading, variant, wait_done

from conftest import ROOT, SUBMISSIONS, mistake_source
from grader.service.web.waiting import PER_ACCOUNT

NOTEBOOKS = ROOT / "examples" / "submitted" / "ada" / "hw1"
BASE = (SUBMISSIONS / "base.py").read_bytes()


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("service")
    limits = ["--rate-burst", "4", "--rate-refill", "3600", "--storage-quota-mib", "4"]
    running = Service(database_url, folder, extra=limits).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def people(service):
    return {
        "ada": service.client(service.token("ada")),
        "bob": service.client(service.token("bob")),
        "prof": service.client(service.token("prof", "instructor")),
    }


def notebooks() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(NOTEBOOKS.glob("*.ipynb"))}


def post(client, files: dict[str, bytes], assignment: str | None = None):
    data = {"assignment": assignment} if assignment else {}
    return client.post("/submissions", files=[("file", (n, d)) for n, d in files.items()], data=data)


@pytest.mark.one_database
def test_two_notebooks_are_graded_as_grader_grade_grades_them(service, people, tmp_path):
    answer = post(people["ada"], notebooks())
    assert answer.status_code == 202
    body = answer.json()
    assert body["status"] == "queued" and body["position"] >= 1 and isinstance(body["id"], int)
    done = wait_done(people["ada"], body["id"])
    assert done["status"] == "done" and done["student"] == "ada" and done["assignment"] == "hw1"
    same_grading(done["result"], grade_with_cli(notebooks(), tmp_path))
    assert done["result"]["score"] == 92.0


def test_a_py_file_with_mistakes_equals_grader_grade(service, people, tmp_path):
    source = mistake_source(SUBMISSIONS / "mistakes" / "eta_range_monotone_bound.py").encode()
    body = post(people["bob"], {"bob.py": source}).json()
    done = wait_done(people["bob"], body["id"])
    same_grading(done["result"], grade_with_cli({"bob.py": source}, tmp_path))
    assert "monotone" in json.dumps(done["result"])


@pytest.mark.one_database
def test_hw2_is_chosen_by_the_form_field(service, people, tmp_path):
    source = (ROOT / "tests" / "submissions" / "hw2" / "base.py").read_bytes()
    body = post(people["prof"], {"momentum.py": source}, "hw2").json()
    done = wait_done(people["prof"], body["id"])
    assert done["assignment"] == "hw2" and done["result"]["assignment"] == "hw2"
    same_grading(done["result"], grade_with_cli({"momentum.py": source}, tmp_path, "hw2"))


@pytest.mark.one_database
def test_students_see_only_their_own(service, people):
    mine = post(people["ada"], {"a.py": BASE + b"\n# ada's\n"}).json()["id"]
    post(people["bob"], {"b.py": BASE + b"\n# bob's\n"})  # tests may run apart (xdist): bob's own
    assert people["bob"].get(f"/submissions/{mine}").status_code == 404
    assert people["bob"].get("/submissions/999999").status_code == 404
    for hostile in ("99999999999999999999", "0", "-1", "1e3", "abc"):
        answer = people["bob"].get(f"/submissions/{hostile}")
        assert answer.status_code == 400 and "error" in answer.json(), (hostile, answer.text)
    assert people["prof"].get(f"/submissions/{mine}").status_code == 200
    listed = people["bob"].get("/submissions").json()["submissions"]
    assert listed and all(s["student"] == "bob" for s in listed)
    ids = [s["id"] for s in people["prof"].get("/submissions").json()["submissions"]]
    assert mine in ids and ids == sorted(ids, reverse=True), "newest first"
    assert people["bob"].get("/results", params={"assignment": "hw1"}).status_code == 403


def test_an_upload_past_the_storage_quota_is_413_naming_the_quota_and_the_use(service):
    client = service.client(service.token("quota"))
    big = BASE + b"\n#" + b"q" * (3 << 19)  # 1.5 MiB: two fit in the 4 MiB quota, three do not
    for k in range(2):
        assert post(client, {"big.py": big + f"\n# {k}".encode()}).status_code == 202
    answer = post(client, {"big.py": big + b"\n# 2"})
    assert answer.status_code == 413, answer.text
    error = answer.json()["error"]
    assert "quota" in error and "4.0 MiB" in error and "3.0 MiB are used by 2 submission" in error
    assert client.get("/me").json()["submissions_available"] == 2, "the refusal took no token"


@pytest.mark.one_database
@pytest.mark.parametrize(
    "header",
    [None, "Bearer nope", "Bearer gt_" + "x" * 43, "Basic abc", "Bearer " + "gt_" + "y" * 5000],
)
def test_a_bad_token_is_401_with_a_json_error(service, header):
    import httpx

    headers = {"Authorization": header} if header else {}
    answer = httpx.post(
        service.url + "/api/v1/submissions", headers=headers, files={"file": ("a.py", b"x=1")}
    )
    assert answer.status_code == 401 and "error" in answer.json()
    assert answer.headers["www-authenticate"] == "Bearer"


@pytest.mark.one_database
def test_a_revoked_token_stops_working_at_once(service):
    from grader.service.accounts import revoke_tokens

    token = service.token("carol")
    client = service.client(token)
    assert client.get("/submissions").status_code == 200
    assert revoke_tokens(service.engine(), "carol") == 1
    assert client.get("/submissions").status_code == 401


@pytest.mark.one_database
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"notes.txt": b"hello"}, "not a notebook"),
        ({"broken.ipynb": b'{"cells": ['}, "not a valid Jupyter notebook"),
        ({"../../etc/passwd.py": b"x = 1\ndef sigmoid(z):\n    return z\n"}, None),
        ({".hidden.py": b"x = 1"}, "a file name may hold only"),
        ({"a\x1b[31m.py": b"x = 1"}, "a file name may hold only"),
        ({"bad.py": b"\xff\xfe"}, "not UTF-8"),
    ],
)
def test_bad_files_are_400_naming_the_file(service, people, files, expected):
    answer = post(people["ada"], files)
    if expected is None:  # a path is reduced to its plain name, which is fine here
        assert answer.status_code == 202
        assert people["ada"].get(f"/submissions/{answer.json()['id']}").json()["files"] == ["passwd.py"]
        return
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert expected in error and "\x1b" not in error


@pytest.mark.one_database
def test_an_unknown_assignment_is_400(service, people):
    answer = post(people["ada"], {"a.py": BASE}, "hw9")
    assert answer.status_code == 400 and "unknown assignment" in answer.json()["error"]


@pytest.mark.one_database
def _raw_post(url: str, token: str, headers: dict[str, str], parts) -> tuple[int, bytes]:
    """Send a POST over a plain socket, part by part, and read the answer: a server that answers
    413 and closes while the body is still on its way leaves an HTTP client with a broken pipe
    (and, racing, sometimes no answer at all); this reads whatever answer came."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(url)
    lines = [f"POST {where.path} HTTP/1.1", f"Host: {where.netloc}", f"Authorization: Bearer {token}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((where.hostname, where.port), timeout=60) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            for part in parts:
                connection.sendall(part)
        except OSError:  # the server answered and closed before taking it all
            pass
        answer = b""
        while not _complete(answer):
            try:
                chunk = connection.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, answer.partition(b"\r\n\r\n")[2]


def _complete(answer: bytes) -> bool:
    head, found, body = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    length = next(
        (
            line.split(b":", 1)[1]
            for line in head.lower().split(b"\r\n")
            if line.startswith(b"content-length:")
        ),
        b"0",
    )
    return len(body) >= int(length)


def test_too_large_is_413_before_the_body_is_read(service, people):
    token = people["ada"].headers["Authorization"].split()[1]
    address = service.url + "/api/v1/submissions"
    boundary = {"Content-Type": "multipart/form-data; boundary=x"}
    # A length over the limit is refused from the headers alone: no body byte is sent.
    status, answer = _raw_post(address, token, {**boundary, "Content-Length": str(22 << 20)}, [])
    assert status == 413 and b"limit" in answer, answer[:300]

    # A body that lies about its length is cut off while it streams in.
    def chunks():
        head = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.py"\r\n\r\n'
        yield f"{len(head):x}\r\n".encode() + head + b"\r\n"
        for _ in range(30 * 16):
            yield b"10000\r\n" + b"#" * 0x10000 + b"\r\n"

    status, answer = _raw_post(address, token, {**boundary, "Transfer-Encoding": "chunked"}, chunks())
    assert status == 413, answer[:300]


def test_an_identical_resubmission_is_recognised_and_costs_nothing(service, people):
    client = service.client(service.token("dora"))
    first = post(client, {"mine.py": BASE}).json()
    again = post(client, {"mine.py": BASE})
    assert (
        again.status_code == 202 and again.json()["id"] == first["id"] and again.json()["duplicate"] is True
    )
    assert client.get("/me").json()["submissions_available"] == 3, "only the first took from the bucket"


def test_the_rate_limit_says_when_with_retry_after(service):
    client = service.client(service.token("eve"))
    for k in range(4):
        assert post(client, {"mine.py": BASE + f"\n# {k}\n".encode()}).status_code == 202
    refused = post(client, {"mine.py": BASE + b"\n# five\n"})
    assert refused.status_code == 429
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 3600 and f"{wait} s" in refused.json()["error"]
    assert client.get("/me").json()["submissions_available"] == 0


def test_results_count_the_latest_or_the_best_with_a_late_penalty(service, people):
    client = service.client(service.token("finn"))
    good = post(client, {"finn.py": BASE}).json()["id"]
    wait_done(client, good)
    worse = mistake_source(SUBMISSIONS / "mistakes" / "loss_half.py").encode()
    late_id = post(client, {"finn.py": worse}).json()["id"]
    latest = wait_done(client, late_id)
    prof = people["prof"]

    def counted() -> dict:
        entries = prof.get("/results", params={"assignment": "hw1"}).json()["submissions"]
        return next(e for e in entries if e["student"] == "finn")

    assert counted()["submission_id"] == late_id and counted()["score"] == latest["result"]["score"]
    assert prof.put("/assignments/hw1", json={"policy": "best"}).status_code == 200
    assert counted()["submission_id"] == good and counted()["final_score"] == 92.0
    now = time.time()
    rules = {
        "deadline": now - 1.5 * 86400,
        "late_until": now + 86400,
        "penalty_per_day": 0.1,
        "policy": "latest",
    }
    assert prof.put("/assignments/hw1", json=rules).status_code == 200
    late = post(client, {"finn.py": BASE + b"\n# late\n"}).json()["id"]
    done = wait_done(client, late)
    assert done["penalty"] == pytest.approx(0.2) and done["final_score"] == pytest.approx(92 * 0.8)
    assert counted()["final_score"] == pytest.approx(73.6) and counted()["late_penalty"] == pytest.approx(0.2)
    closed = {"deadline": now - 10, "late_until": None, "penalty_per_day": 0, "policy": "latest"}
    assert prof.put("/assignments/hw1", json=closed).status_code == 200
    shut = post(client, {"finn.py": BASE + b"\n# too late\n"})
    assert shut.status_code == 403 and "closed" in shut.json()["error"]
    reopened = {"deadline": None, "late_until": None, "policy": "latest"}  # a field left out is kept
    assert prof.put("/assignments/hw1", json=reopened).status_code == 200
    assert prof.put("/assignments/hw1", json={"policy": "worst"}).status_code == 400
    assert client.put("/assignments/hw1", json={"policy": "best"}).status_code == 403


def test_regrade_keeps_the_old_result_and_says_what_changed(service, people):
    client = service.client(service.token("gus"))
    sid = post(client, {"gus.py": BASE}).json()["id"]
    first = wait_done(client, sid)
    answer = people["prof"].post("/regrade", json={"assignment": "hw1", "student": "gus"})
    assert answer.status_code == 202 and answer.json()["queued"] == 1
    deadline = time.time() + 120
    while client.get(f"/submissions/{sid}").json()["generation"] != 1:
        assert time.time() < deadline, "the regrade never finished"
        time.sleep(0.2)
    again = client.get(f"/submissions/{sid}").json()
    assert again["result"]["exercises"] == first["result"]["exercises"], "same reference, same result"
    assert again["changes"] == [] and again["regrading"] is False
    from sqlalchemy import select

    from grader.service.store.schema import results

    with service.engine().connect() as connection:
        stored = connection.execute(
            select(results).where(results.c.submission_id == sid).order_by(results.c.generation)
        ).all()
    assert sorted(r.generation for r in stored) == [0, 1] and json.loads(stored[-1].changes) == []


def test_csv_export_has_nbgrader_columns_and_neutralised_formulas(service, people):
    from grader.service.accounts import ensure_account
    from grader.service.store.database import writing

    with writing(service.engine()) as connection:
        ensure_account(connection, "hal", "student", '=HYPERLINK("http://x")', "@SUM(1)", "hal@example.org")
    client = service.client(service.token("hal"))
    wait_done(client, post(client, {"hal.py": BASE}).json()["id"])
    answer = people["prof"].get("/results.csv", params={"assignment": "hw1"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(answer.text)))
    header = answer.text.splitlines()[0].split(",")
    assert header[:11] == [
        "assignment",
        "duedate",
        "timestamp",
        "student_id",
        "last_name",
        "first_name",
        "email",
        "raw_score",
        "late_submission_penalty",
        "score",
        "max_score",
    ]
    hal = next(r for r in rows if r["student_id"] == "hal")
    assert hal["first_name"].startswith("'=") and hal["last_name"].startswith("'@")
    assert hal["score"] == "92" and hal["sigmoid"] == "2"


@pytest.mark.one_database
def test_the_database_holds_no_token_in_clear(service):
    token = service.token("ivy")
    from sqlalchemy import select

    from grader.service.store.schema import tokens

    with service.engine().connect() as connection:
        digests = [row.digest for row in connection.execute(select(tokens)).all()]
    assert token not in digests and all(len(d) == 64 for d in digests)
    assert token not in service.log()


@pytest.mark.slow  # a long guard; CI runs it (scripts/test.sh -m '')
def test_a_status_request_may_wait_for_the_result(service):
    """`?wait=S` answers once the result is stored, or after S seconds; a submission one may not
    see is a 404 at once, never after a wait; waits over 30 s or not numbers are 400; an account
    holds at most PER_ACCOUNT waits, and more are answered at once."""
    wanda = service.client(service.token("wanda"))
    xavier = service.client(service.token("xavier"))
    slow = wanda.post("/submissions", files={"file": ("w.py", variant(BASE.decode(), "wanda", sleep=8))})
    assert slow.status_code == 202, slow.text
    sid = slow.json()["id"]

    def pending() -> bool:
        return wanda.get(f"/submissions/{sid}").json()["status"] not in ("done", "failed")

    assert xavier.get(f"/submissions/{sid}", params={"wait": 30}).status_code == 404
    for hostile in ("-1", "31", "nan", "inf", "1e309", "abc", ""):
        answer = wanda.get(f"/submissions/{sid}", params={"wait": hostile})
        assert answer.status_code == 400 and "error" in answer.json(), (hostile, answer.text)
    assert pending(), "the 404 and the 400s did not wait"
    bounded = wanda.get(f"/submissions/{sid}", params={"wait": 0.5}).json()
    assert bounded["status"] in ("queued", "running") and bounded["result"] is None
    with ThreadPoolExecutor(PER_ACCOUNT) as pool:
        waits = [
            pool.submit(lambda: wanda.get(f"/submissions/{sid}", params={"wait": 30}).json())
            for _ in range(PER_ACCOUNT)
        ]
        time.sleep(1.5)  # the waits are registered (a few ms each)
        beyond = wanda.get(f"/submissions/{sid}", params={"wait": 30}).json()
        assert beyond["status"] in ("queued", "running"), "past the limit, answered at once"
        answers = [w.result() for w in waits]
    for answer in answers:
        assert answer["status"] == "done" and answer["result"]["score"] == 92.0
