"""Load benchmark of the grading service on this machine: `grader serve` (SQLite, or PostgreSQL
with --postgres) on loopback, driven by simulated students over HTTP. Prints figures; asserts
nothing (machines are shared and noisy): read the medians and percentiles.

    python benchmarks/service_load.py [--students 30] [--workers 2] [--idle 7] [--postgres] [--poll]

1. Idle: one submission at a time into a warm, idle service; upload-to-result latency (the
   client asks with ?wait=25, or with --poll every 20 ms), median of --idle runs.
2. Burst: --students students submit at the same moment (a mix of correct answers and typical
   mistakes, all distinct files; each asks for its status with ?wait=25, or with --poll every
   0.25 s); latency per
   submission (p50, p95, max), throughput, the CPU each submission cost, and a check that
   every 202 got exactly one result.
3. Yardstick: the same burst's files graded in this process one after another, so the
   service's throughput can be read as "submissions graded in the time one takes alone",
   a ratio that holds when the shared machine is faster or slower than usual.
Targets (issue 13): idle under 1 s; a burst of 30 all graded with p95 under 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servicekit import UNLIMITED, Postgres, Service  # noqa: E402

from grader.authoring.validate import mistake_source  # noqa: E402

SUBMISSIONS = ROOT / "tests" / "submissions" / "hw1"
BURST_POLL = 0.25
"""With --poll: seconds between a burst client's status requests (the idle client asks every
20 ms). By default clients ask with ?wait=25, as the page and `submit()` do: the service
answers once the result is stored, so latency is measured without polling's CPU or delay."""


def sources(count: int) -> list[bytes]:
    correct = [
        (SUBMISSIONS / "base.py").read_text(),
        *(p.read_text() for p in sorted((SUBMISSIONS / "correct").glob("*.py"))),
    ]
    mistakes = [mistake_source(p) for p in sorted((SUBMISSIONS / "mistakes").glob("*.py"))]
    pool = [s for pair in zip(correct * 10, mistakes, strict=False) for s in pair]
    return [(pool[k % len(pool)] + f"\n# student {k} {time.time_ns()}\n").encode() for k in range(count)]


def submit_and_wait(client, data: bytes, name: str, poll: float | None = None) -> tuple[float, int, str]:
    """Upload, then ask until graded: every `poll` seconds, or (None) with ?wait=25."""
    started = time.monotonic()
    answer = client.post("/submissions", files={"file": (name, data)})
    assert answer.status_code == 202, answer.text
    submission_id = answer.json()["id"]
    params = {} if poll else {"wait": 25}
    while True:
        state = client.get(f"/submissions/{submission_id}", params=params).json()
        if state["status"] in ("done", "failed"):
            return time.monotonic() - started, submission_id, state["status"]
        if poll:
            time.sleep(poll)


def machine_busy_seconds() -> float:
    """CPU seconds every core of this machine has spent busy since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def service_seconds(pid: int) -> tuple[float, float]:
    """(the front end's own CPU seconds, the service's: front end, its workers and the sandboxes
    they have waited for), from /proc/PID/stat of `grader serve` and its children."""

    def times(process: int) -> tuple[float, float]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        own, waited = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        return own / os.sysconf("SC_CLK_TCK"), (own + waited) / os.sysconf("SC_CLK_TCK")

    children = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
    front, _ = times(pid)
    return front, front + sum(times(child)[1] for child in children)


def in_process_seconds(files: list[bytes]) -> float:
    """Seconds per submission for the same files graded by the library core in this process,
    one after another (`grader grade --jobs 1`'s path, sandbox and spares included): the
    yardstick the service's figures are compared with, measured in the same run."""
    from grader.core.api import GradingCore
    from grader.core.batch import grade_all
    from grader.intake.submissions import Submission

    core = GradingCore()
    core.grader("hw1")
    batch = [Submission.in_memory({"s.py": data}, f"s{k}", "hw1", "s.py") for k, data in enumerate(files)]
    began = time.monotonic()
    list(grade_all(core, batch))
    return (time.monotonic() - began) / len(files)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--idle", type=int, default=7)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--poll",
        action="store_true",
        help="clients poll (idle every 20 ms, burst every 0.25 s) instead of ?wait",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="grader-load-"))
    cluster = Postgres() if args.postgres else None
    database = cluster.fresh_database() if cluster else f"sqlite:///{folder}/load.sqlite"
    service = Service(database, folder, workers=args.workers, extra=UNLIMITED).start()
    try:
        teacher = service.client(service.token("prof", "instructor"))
        deadline = time.monotonic() + 120
        while teacher.get("/queue").json()["workers_alive"] < args.workers:
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.5)
        warm = service.client(service.token("warm"))
        for data in sources(args.workers * 2):
            submit_and_wait(warm, data, "warm.py")  # every worker has graded something

        idle_client = service.client(service.token("idle"))
        idle_poll, burst_poll = (0.02, BURST_POLL) if args.poll else (None, None)
        idle = [submit_and_wait(idle_client, data, "idle.py", idle_poll)[0] for data in sources(args.idle)]

        clients = [service.client(service.token(f"s{k:03d}")) for k in range(args.students)]
        files = sources(args.students)
        outcomes: list[tuple[float, int, str]] = []
        lock = threading.Lock()
        gate = threading.Barrier(args.students)

        def student(k: int) -> None:
            gate.wait()
            outcome = submit_and_wait(clients[k], files[k], f"s{k}.py", burst_poll)
            with lock:
                outcomes.append(outcome)

        pid = service.process.pid
        busy_before, (front_before, service_before) = machine_busy_seconds(), service_seconds(pid)
        began = time.monotonic()
        threads = [threading.Thread(target=student, args=(k,)) for k in range(args.students)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        busy = machine_busy_seconds() - busy_before
        front_after, service_after = service_seconds(pid)

        from sqlalchemy import func, select

        from grader.service.store.schema import jobs, results

        ids = [submission_id for _, submission_id, _ in outcomes]
        with service.engine().connect() as connection:
            per_job = connection.execute(
                select(func.count())
                .select_from(results)
                .join(jobs, jobs.c.id == results.c.job_id)
                .where(jobs.c.submission_id.in_(ids))
            ).scalar_one()
        latencies = [latency for latency, _, _ in outcomes]
        failed = sum(status != "done" for _, _, status in outcomes)
        backend = "PostgreSQL" if cluster else "SQLite"
        service.stop()
        alone = in_process_seconds(files)
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        asking = "polling" if args.poll else "?wait=25"
        print(
            f"grading service on {backend}, {args.workers} workers, this machine; clients ask with {asking}"
        )
        middle = statistics.median(idle)
        print(f"idle, one at a time: median {middle:.2f} s (min {min(idle):.2f}, n={len(idle)})")
        print(f"burst of {args.students}: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s")
        rate = args.students / elapsed
        print(f"throughput: {rate:.2f} submissions/s ({60 * rate:.0f} a minute)")
        print(
            f"the same {args.students} in this process, one after another: {alone:.2f} s each; "
            f"the service did {rate * alone:.2f} of them in that time"
        )
        n = args.students
        print(
            f"CPU per submission: {busy / n:.2f} s on the whole machine (clients included), "
            f"{(service_after - service_before) / n:.2f} s in the service, of which "
            f"{(front_after - front_before) / n:.3f} s in the front end"
        )
        print(
            f"accepted {len(outcomes)}, graded {len(outcomes) - failed}, failed {failed}, results {per_job}"
        )
    finally:
        service.stop()
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
