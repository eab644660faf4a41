"""Scaling benchmark: one PostgreSQL (scripts/postgres.sh), a web front end only
(`grader serve --workers 0`), and 1, 2 and 4 `grader worker` processes, each standing for a
grading host. Prints throughput per step, the efficiency of each step (throughput / (workers x
throughput of one)), and the CPU one submission costs (the workers' and their sandboxes' CPU
time over the batch). Asserts nothing; on this 2-core machine the step to 4 cannot scale, and
that is what it shows.

    python benchmarks/service_scale.py [--submissions 40] [--steps 1,2,4]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from service_load import sources  # noqa: E402
from servicekit import PYTHON, UNLIMITED, Postgres, Service, environment  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process and of its children it has reaped (the sandboxes)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS


def step(cluster: Postgres, folder: Path, workers: int, submissions: int) -> tuple[float, float]:
    database = cluster.fresh_database()
    front = Service(database, folder, workers=0, extra=UNLIMITED).start()
    env = {**environment(), "GRADER_DB": database}
    processes = [
        subprocess.Popen(
            [PYTHON, "-m", "grader", "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(workers)
    ]
    try:
        teacher = front.client(front.token("prof", "instructor"))
        deadline = time.monotonic() + 180
        while teacher.get("/queue").json()["workers_alive"] < workers:
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.5)
        client = front.client(front.token("batch"))
        time.sleep(3)  # every worker has warmed its plans
        before = sum(cpu_seconds(p.pid) for p in processes)
        began = time.monotonic()
        ids = [
            client.post("/submissions", files={"file": (f"s{k}.py", data)}).json()["id"]
            for k, data in enumerate(sources(submissions))
        ]
        while True:
            queue = teacher.get("/queue").json()["queue"]
            if queue["queued"] == 0 and queue["running"] == 0:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - began
        cpu = sum(cpu_seconds(p.pid) for p in processes) - before
        assert teacher.get("/queue").json()["queue"]["done"] == len(ids)
        return submissions / elapsed, cpu / submissions
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(120)
        front.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--steps", default="1,2,4")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="grader-scale-"))
    cluster = Postgres()
    try:
        figures = {n: step(cluster, folder, n, args.submissions) for n in steps}
    finally:
        cluster.stop()
    one = figures[steps[0]][0] / steps[0]
    print(f"{args.submissions} submissions per step, one PostgreSQL, {os.cpu_count()} cores")
    print("workers  submissions/s  efficiency  CPU s/submission")
    for n, (rate, cpu) in figures.items():
        print(f"{n:>7}  {rate:>13.2f}  {rate / (n * one):>10.0%}  {cpu:>16.2f}")


if __name__ == "__main__":
    main()
