"""Running the grading service the way users do, for the service tests and benchmarks: `grader
serve` (and `grader worker`) as real processes on loopback, SQLite or a scratch PostgreSQL
cluster started by scripts/postgres.sh, and a real HTTP client (httpx)."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FAST_LEASES = ["--lease", "4", "--heartbeat", "1"]
"""Short leases, so a killed worker's job is taken up within seconds in the fault tests."""
UNLIMITED = ["--rate-burst", "100000", "--rate-refill", "1"]
"""One simulated student submitting many times (faults and load), not a rate-limit test."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Postgres:
    """A scratch cluster (scripts/postgres.sh) and a fresh database per service."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="grader-pg-", dir="/tmp"))
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh"), "start", str(self.folder), str(free_port())],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"scripts/postgres.sh start failed: {done.stderr[-2000:]}")
        self.url = done.stdout.strip().splitlines()[-1]

    def fresh_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url.rsplit("/", 1)[0] + "/" + name

    def restart(self) -> None:
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh"), "restart", str(self.folder)], check=True
        )

    def stop(self) -> None:
        subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", str(self.folder)], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


STARTED: list[subprocess.Popen] = []
"""Every `grader serve` started here; whatever a failed test left running is killed at exit."""


@atexit.register
def _kill_leftovers() -> None:
    for process in STARTED:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


@dataclass
class Service:
    db_url: str
    folder: Path
    workers: int = 2
    extra: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 90.0) -> Service:
        self.log_path = self.folder / f"serve-{time.monotonic_ns()}.log"
        command = [PYTHON, "-m", "grader", "serve", "--port", str(self.port), "--workers", str(self.workers)]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [*command, *self.extra],
                cwd=self.folder,
                env={**environment(), "GRADER_DB": self.db_url},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        STARTED.append(self.process)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"grader serve exited: {self.log()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/api/v1/health", timeout=2).status_code == 200:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"grader serve did not answer: {self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def stop(self, sig: int = signal.SIGTERM, wait: float = 180.0) -> None:
        """Stop the server; SIGKILL takes its whole process group (workers too), as a machine
        lost would."""
        if self.process is None or self.process.poll() is not None:
            return
        if sig == signal.SIGKILL:
            os.killpg(self.process.pid, signal.SIGKILL)
        else:
            self.process.send_signal(sig)
        self.process.wait(wait)

    def engine(self):
        from grader.service.store.database import open_database

        return open_database(self.db_url, upgrade=False)

    def token(self, account_id: str, role: str = "student") -> str:
        from grader.service.accounts import create_token

        engine = self.engine()
        try:
            return create_token(engine, account_id, role)
        finally:
            engine.dispose()

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.url + "/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def leftover_processes(service: Service) -> list[int]:
    """Processes of the service still running: its workers (by the pids they reported), and
    anything else in the process group `grader serve` led."""
    from sqlalchemy import select

    from grader.service.store.schema import workers

    with service.engine().connect() as connection:
        pids = set(connection.execute(select(workers.c.pid)).scalars())
    assert service.process is not None
    group = service.process.pid
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[-1].split()[2]) == group:
                        pids.add(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return sorted(pid for pid in pids if alive(pid))


def variant(source: str, tag: str, sleep: float = 0.0) -> bytes:
    """The same answers, different bytes (so no two are taken for one resubmission)."""
    pause = f"import time as _t\n_t.sleep({sleep})\n" if sleep else ""
    return (pause + source + f"\n# {tag}\n").encode()


def wait_done(client: httpx.Client, submission_id: int, seconds: float = 180.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = client.get(f"/submissions/{submission_id}")
        if answer.status_code == 200 and answer.json()["status"] in ("done", "failed"):
            return answer.json()
        time.sleep(0.1)
    raise AssertionError(f"submission {submission_id} was not graded in {seconds} s")


def grade_with_cli(files: dict[str, bytes], folder: Path, assignment: str = "hw1") -> dict:
    """`grader grade --format json` on the same files: one .py or notebook alone, or several in
    nbgrader's layout (one submission)."""
    if len(files) == 1:
        [(name, data)] = files.items()
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    else:
        target = folder / "submitted" / "student" / assignment
        target.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (target / name).write_bytes(data)
    done = subprocess.run(
        [PYTHON, "-m", "grader", "grade", str(target), "--assignment", assignment, "--format", "json"],
        capture_output=True,
        text=True,
        env=environment(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    [submission] = json.loads(done.stdout)["submissions"]
    return submission


def same_grading(service_result: dict, cli_result: dict) -> None:
    """Exercises (scores, statuses, feedback) equal, as SPEC section 7 promises."""
    assert service_result["exercises"] == cli_result["exercises"]
    assert service_result["score"] == cli_result["score"]
    assert service_result["max_score"] == cli_result["max_score"]


def module_service(tmp_path_factory, name: str, workers: int = 1, extra: list[str] | None = None):
    """For a module fixture (`yield from`): a service on its own SQLite file, stopped after."""
    folder = tmp_path_factory.mktemp(name)
    running = Service(f"sqlite:///{folder}/{name}.sqlite", folder, workers=workers, extra=extra or []).start()
    yield running
    running.stop()
