"""Faults, as they happen to a running service: a worker SIGKILLed mid-grading, the whole
server (and its workers) SIGKILLed, PostgreSQL restarted during a batch, the web front end
restarted under load, a worker drained with SIGTERM. Every submission answered 202 ends with
exactly one result per job, equal to `grader grade` on the same file.

The tests that start a service are the slow tier (each needs its own server, as each kills or
restarts it); they wait on conditions (a job running, a worker idle, submissions accepted), not
fixed times. The sandbox's and the orphaned worker's deaths are everyday tests."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from servicekit import (
    FAST_LEASES,
    PYTHON,
    STARTED,
    UNLIMITED,
    Service,
    environment,
    grade_with_cli,
    leftover_processes,
    same_grading,
    variant,
    wait_done,
)
from sqlalchemy import func, select

from conftest import SUBMISSIONS, mistake_source

BASE = (SUBMISSIONS / "base.py").read_text()
MISTAKE = mistake_source(SUBMISSIONS / "mistakes" / "dE_dyhat_missing_two.py")


def post(client: httpx.Client, name: str, data: bytes) -> int:
    answer = client.post("/submissions", files={"file": (name, data)})
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


def wait_for(condition, what: str, seconds: float = 60.0, every: float = 0.1):
    """Poll `condition` until it holds (returns its truthy value)."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{what}: not within {seconds:g} s"
        time.sleep(every)
    return value


def job_statuses(service: Service, submission_ids: list[int]) -> list[str]:
    from grader.service.store.schema import jobs

    engine = service.engine()
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    select(jobs.c.status).where(jobs.c.submission_id.in_(submission_ids))
                ).scalars()
            )
    finally:
        engine.dispose()


def job_rows(service: Service):
    from grader.service.store.schema import jobs, results

    with service.engine().connect() as connection:
        rows = connection.execute(select(jobs)).all()
        counts = dict(
            connection.execute(select(results.c.job_id, func.count()).group_by(results.c.job_id)).all()
        )
    return rows, counts


def assert_exactly_one_result_each(service: Service, submission_ids: list[int]) -> None:
    rows, counts = job_rows(service)
    mine = [r for r in rows if r.submission_id in submission_ids and r.generation == 0]
    assert len(mine) == len(submission_ids)
    for row in mine:
        assert row.status == "done" and counts.get(row.id) == 1, (row.id, row.status, counts.get(row.id))


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("cli")
    return {
        "base": grade_with_cli({"base.py": BASE.encode()}, folder / "a"),
        "mistake": grade_with_cli({"mistake.py": MISTAKE.encode()}, folder / "b"),
    }


def check(done: dict, expected: dict) -> None:
    assert done["status"] == "done"
    result = dict(done["result"])
    same_grading(result, expected)


def test_a_sandbox_dies_with_the_process_that_started_it():
    """setpriv --pdeathsig: a grading worker SIGKILLed leaves no sandbox running."""
    script = (
        "import sys, tempfile, time\n"
        "from pathlib import Path\n"
        "from grader.run.sandbox.process import WorkerProcess\n"
        "p = WorkerProcess(Path(tempfile.mkdtemp()))\n"
        "print(p.popen.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([PYTHON, "-c", script], stdout=subprocess.PIPE, text=True, env=environment())
    sandbox = int(parent.stdout.readline())
    os.kill(sandbox, 0)  # running
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(sandbox, 0)
        except ProcessLookupError:
            return
        with open(f"/proc/{sandbox}/stat") as stat:
            if stat.read().split(")")[-1].split()[0] == "Z":
                return  # dead, waiting to be reaped
        time.sleep(0.05)
    raise AssertionError("the sandbox outlived the process that started it")


@pytest.mark.slow
def test_a_worker_killed_mid_grading_loses_nothing(database_url, tmp_path, expected):
    service = Service(database_url, tmp_path, workers=2, extra=[*FAST_LEASES, *UNLIMITED]).start()
    try:
        client = service.client(service.token("ada"))
        slow = post(client, "slow.py", variant(BASE, "slow", sleep=6))
        from grader.service.store.schema import jobs, workers

        engine = service.engine()
        deadline = time.monotonic() + 60
        while True:
            with engine.connect() as connection:
                job = connection.execute(select(jobs).where(jobs.c.submission_id == slow)).one()
                holder = connection.execute(select(workers).where(workers.c.job_id == job.id)).first()
            if job.status == "running" and holder is not None:
                break
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        os.kill(holder.pid, signal.SIGKILL)
        others = [post(client, f"n{k}.py", variant(BASE, f"n{k}")) for k in range(3)]
        check(wait_done(client, slow), expected["base"])
        for submission_id in others:
            check(wait_done(client, submission_id), expected["base"])
        assert_exactly_one_result_each(service, [slow, *others])
        with engine.connect() as connection:
            attempts = connection.execute(
                select(jobs.c.attempts).where(jobs.c.submission_id == slow)
            ).scalar_one()
        assert attempts == 2, "taken up again after the lease ran out"
    finally:
        service.stop()


@pytest.mark.slow
def test_the_server_killed_and_restarted_grades_every_accepted_submission(database_url, tmp_path, expected):
    service = Service(database_url, tmp_path, workers=2, extra=[*FAST_LEASES, *UNLIMITED]).start()
    try:
        client = service.client(service.token("bob"))
        accepted = {}
        for k in range(8):
            kind = "mistake" if k % 3 == 0 else "base"
            source = MISTAKE if kind == "mistake" else BASE
            accepted[post(client, f"s{k}.py", variant(source, f"s{k}", 0.5))] = kind
        wait_for(lambda: "running" in job_statuses(service, list(accepted)), "none is being graded")
        service.stop(signal.SIGKILL)
        service.start()
        for submission_id, kind in accepted.items():
            check(wait_done(client, submission_id), expected[kind])
        assert_exactly_one_result_each(service, list(accepted))
    finally:
        service.stop()


@pytest.mark.slow
def test_postgresql_restarted_during_a_batch(postgres, tmp_path, expected):
    service = Service(
        postgres.fresh_database(), tmp_path, workers=2, extra=[*FAST_LEASES, *UNLIMITED]
    ).start()
    try:
        client = service.client(service.token("cat"))
        accepted = [post(client, f"p{k}.py", variant(BASE, f"p{k}", 0.3)) for k in range(6)]
        wait_for(lambda: "running" in job_statuses(service, accepted), "none is being graded")
        postgres.restart()
        for k in range(6, 10):
            for _attempt in range(20):  # the first request after the restart may find the pool stale
                answer = client.post("/submissions", files={"file": (f"p{k}.py", variant(BASE, f"p{k}"))})
                if answer.status_code == 202:
                    accepted.append(answer.json()["id"])
                    break
                time.sleep(0.5)
            else:
                raise AssertionError(f"the service did not recover: {answer.status_code} {answer.text}")
        for submission_id in accepted:
            check(wait_done(client, submission_id), expected["base"])
        assert_exactly_one_result_each(service, accepted)
    finally:
        service.stop()


def start_worker(database_url: str, folder) -> subprocess.Popen:
    log = open(folder / f"worker-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115 - lives with the process
    worker = subprocess.Popen(
        [PYTHON, "-m", "grader", "worker", *FAST_LEASES],
        env={**environment(), "GRADER_DB": database_url},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    STARTED.append(worker)
    return worker


@pytest.mark.slow
def test_the_front_end_restarted_under_load(postgres, tmp_path, expected):
    """A web front end only (--workers 0) and two `grader worker` processes, as on several
    hosts; the front end is stopped and started again while students keep submitting."""
    database = postgres.fresh_database()
    workers = [start_worker(database, tmp_path) for _ in range(2)]
    front = Service(database, tmp_path, workers=0, extra=UNLIMITED)
    try:
        front.start()
    except Exception:
        for worker in workers:
            worker.kill()
        raise
    client = front.client(front.token("dan"))
    accepted: list[int] = []
    stop = threading.Event()

    def students() -> None:
        k = 0
        while not stop.is_set():
            try:
                answer = client.post("/submissions", files={"file": (f"l{k}.py", variant(BASE, f"l{k}"))})
                if answer.status_code == 202:
                    accepted.append(answer.json()["id"])
                    k += 1
            except httpx.HTTPError:
                pass  # the front end is down: no 202, nothing promised
            time.sleep(0.15)

    load = threading.Thread(target=students)
    load.start()
    try:
        wait_for(lambda: len(accepted) >= 5, "students submitting before the restart", every=0.1)
        front.stop(signal.SIGTERM)
        time.sleep(0.5)  # students keep trying while the front end is down
        front.start()
        before_restart = len(accepted)
        wait_for(lambda: len(accepted) >= before_restart + 5, "students submitting after it", every=0.1)
        stop.set()
        load.join()
        assert len(accepted) >= 10
        for submission_id in accepted:
            check(wait_done(client, submission_id), expected["base"])
        assert_exactly_one_result_each(front, accepted)
    finally:
        stop.set()
        front.stop()
        for worker in workers:
            worker.terminate()
            worker.wait(180)


@pytest.mark.slow
def test_a_worker_drains_on_sigterm(database_url, tmp_path, expected):
    front = Service(database_url, tmp_path, workers=0, extra=UNLIMITED).start()
    worker = start_worker(database_url, tmp_path)
    try:
        client = front.client(front.token("eli"))
        from grader.service.store.schema import jobs, results, workers

        def idle() -> bool:
            engine = front.engine()
            try:
                with engine.connect() as connection:
                    states = connection.execute(select(workers.c.state).where(workers.c.pid == worker.pid))
                    return "idle" in states.scalars().all()
            finally:
                engine.dispose()

        wait_for(idle, "the worker is up and idle", seconds=120, every=0.1)
        slow = post(client, "slow.py", variant(BASE, "drain", sleep=4))
        engine = front.engine()
        deadline = time.monotonic() + 60
        while True:
            with engine.connect() as connection:
                if (
                    connection.execute(select(jobs.c.status).where(jobs.c.submission_id == slow)).scalar_one()
                    == "running"
                ):
                    break
            assert time.monotonic() < deadline
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        later = post(client, "later.py", variant(BASE, "later"))
        assert worker.wait(120) == 0
        check(client.get(f"/submissions/{slow}").json(), expected["base"])
        assert client.get(f"/submissions/{later}").json()["status"] == "queued", (
            "a draining worker takes nothing new"
        )
        with engine.connect() as connection:
            mine = connection.execute(select(workers).where(workers.c.pid == worker.pid)).one()
            graded_by = connection.execute(
                select(results.c.worker)
                .join(jobs, jobs.c.id == results.c.job_id)
                .where(jobs.c.submission_id == slow)
            ).scalar_one()
        assert mine.state == "stopped" and graded_by == mine.id, "it finished the job it held"
    finally:
        front.stop()
        if worker.poll() is None:
            worker.kill()


def test_a_worker_whose_parent_is_already_gone_exits(tmp_path):
    """`grader serve` passes its own pid; a worker that starts up after serve has gone (its parent
    is then someone else) drains at once instead of grading on, unsupervised, for ever."""
    from grader.service.store.database import open_database

    database = f"sqlite:///{tmp_path}/orphan.sqlite"
    open_database(database).dispose()
    not_my_parent = os.getpid() + 1_000_000  # no such process: never this worker's parent
    worker = subprocess.Popen(
        [PYTHON, "-m", "grader", "worker", "--parent-pid", str(not_my_parent)],
        env={**environment(), "GRADER_DB": database},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert worker.wait(120) == 0
    finally:
        if worker.poll() is None:
            worker.kill()


@pytest.mark.slow
def test_stopping_the_server_answers_the_requests_that_wait(tmp_path):
    """A status request waiting for its result (?wait) is answered as soon as the server begins
    to stop: uvicorn lets open requests finish, and this one would hold the restart until the
    grading ended (here ~8 s) and report it done."""
    service = Service(f"sqlite:///{tmp_path}/wait.sqlite", tmp_path, workers=1, extra=UNLIMITED).start()
    try:
        client = service.client(service.token("dan"))
        slow = post(client, "slow.py", variant(BASE, "slow", sleep=8))
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(client.get, f"/submissions/{slow}", params={"wait": 30})
            time.sleep(1.5)  # the request is waiting
            service.stop()
            answer = waiting.result()
        assert answer.status_code == 200 and answer.json()["status"] in ("queued", "running")
    finally:
        service.stop()


def _wait_running(service: Service, submission_id: int):
    """The job of this submission once a worker holds it."""
    from grader.service.store.schema import jobs

    engine = service.engine()
    deadline = time.monotonic() + 60
    while True:
        with engine.connect() as connection:
            job = connection.execute(select(jobs).where(jobs.c.submission_id == submission_id)).one()
        if job.status == "running":
            return job
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.1)


@pytest.mark.slow
def test_sigterm_drains_the_workers_before_serve_exits_and_loses_nothing(tmp_path, expected):
    """A supervisor that sees `grader serve` stopped must find none of its processes running;
    the job in hand is finished, the queued ones are graded after a restart."""
    service = Service(f"sqlite:///{tmp_path}/term.sqlite", tmp_path, workers=2, extra=UNLIMITED).start()
    try:
        client = service.client(service.token("fay"))
        slow = post(client, "slow.py", variant(BASE, "term-slow", sleep=3))
        held = _wait_running(service, slow)
        later = [post(client, f"t{k}.py", variant(BASE, f"term{k}", sleep=1)) for k in range(4)]
        assert service.process is not None
        service.process.send_signal(signal.SIGTERM)
        service.process.wait(120)
        assert leftover_processes(service) == [], "no worker outlives grader serve"
        _rows, counts = job_rows(service)
        assert counts.get(held.id) == 1, "the job in hand was finished before serve exited"
        service.start()
        for submission_id in [slow, *later]:
            check(wait_done(client, submission_id), expected["base"])
        assert_exactly_one_result_each(service, [slow, *later])
    finally:
        service.stop()


@pytest.mark.slow
def test_a_worker_stuck_past_the_drain_is_killed_and_its_job_released(tmp_path):
    """--drain-seconds bounds the wait; the killed worker's lease (60 s here) is released, so
    the restarted service takes the job up at once, not when the lease would have run out."""
    extra = ["--lease", "60", "--heartbeat", "1", "--drain-seconds", "1", *UNLIMITED]
    service = Service(f"sqlite:///{tmp_path}/stuck.sqlite", tmp_path, workers=1, extra=extra).start()
    try:
        client = service.client(service.token("gil"))
        stuck = post(client, "stuck.py", variant(BASE, "stuck", sleep=100))
        held = _wait_running(service, stuck)
        assert service.process is not None
        service.process.send_signal(signal.SIGTERM)
        service.process.wait(60)
        assert leftover_processes(service) == [], "the stuck worker was killed, not left behind"
        rows, _counts = job_rows(service)
        [job] = [r for r in rows if r.id == held.id]
        assert job.status == "running" and job.lease_expires < time.time(), "its lease was released"
        service.start()
        deadline = time.monotonic() + 30
        while job.attempts < 2:
            assert time.monotonic() < deadline, "the released job was not taken up at once"
            time.sleep(0.2)
            [job] = [r for r in job_rows(service)[0] if r.id == held.id]
    finally:
        service.stop()
