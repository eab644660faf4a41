"""Soak: a class hands in on PostgreSQL while processes die. Two web front ends
(`grader serve --workers 0`) and N `grader worker` processes on one scratch PostgreSQL cluster
(scripts/postgres.sh); students upload at random moments (correct answers, typical mistakes, and
hostile submissions: the channel forger, hangs, fork bombs, huge outputs); workers are SIGKILLed
at random moments and restarted (as a supervisor would), and one front end is SIGKILLed and
restarted mid-run. Clients retry an upload whose answer was lost on another front end (the same
bytes: the service takes an identical upload for the one it already has).

Prints accepted (answered 202), graded, failed, lost (accepted, never graded), duplicated
(a submission graded twice in one generation, or one upload stored twice), correct submissions
scored below full marks, and the time from upload to result (median, p95). Asserts nothing; lost
and duplicated must be 0.

    python benchmarks/soak.py [--students 200] [--per-student 5] [--workers 3] [--rate 1.5]

Only loopback addresses are used; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servicekit import FAST_LEASES, PYTHON, UNLIMITED, Postgres, Service, environment  # noqa: E402

from grader.authoring.validate import mistake_source  # noqa: E402

LIBRARY = ROOT / "tests" / "submissions"
BASE = LIBRARY / "hw1" / "base.py"
HOSTILE = (
    "forge_frames_every_call",
    "hang_in_function",
    "fork_and_linger",
    "double_fork_setsid",
    "huge_output",
)


@dataclass
class Upload:
    student: str
    kind: str  # correct | mistake | hostile
    data: bytes
    at: float  # seconds after the start
    submission_id: int | None = None
    accepted_at: float | None = None
    graded_at: float | None = None
    status: str = "not sent"
    score: float | None = None
    tries: int = 0


def pool(rng: random.Random, count: int, hostile: float) -> list[tuple[str, str]]:
    """(kind, source) for `count` uploads: about `hostile` of them attacks, a third mistakes."""
    correct = [BASE.read_text(), *(p.read_text() for p in sorted((LIBRARY / "hw1" / "correct").glob("*.py")))]
    mistakes = [mistake_source(p) for p in sorted((LIBRARY / "hw1" / "mistakes").glob("*.py"))]
    attacks = [mistake_source(LIBRARY / "attacks" / f"{name}.py", BASE) for name in HOSTILE]
    chosen = []
    for _ in range(count):
        roll = rng.random()
        if roll < hostile:
            chosen.append(("hostile", rng.choice(attacks)))
        elif roll < hostile + 0.33:
            chosen.append(("mistake", rng.choice(mistakes)))
        else:
            chosen.append(("correct", rng.choice(correct)))
    return chosen


@dataclass
class Cluster:
    """The processes under test, and the chaos that kills them."""

    database: str
    folder: Path
    workers: int
    fronts: list[Service] = field(default_factory=list)
    pool: list[subprocess.Popen] = field(default_factory=list)
    kills: dict[str, int] = field(default_factory=lambda: {"worker": 0, "front end": 0})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        for _ in range(2):
            self.fronts.append(Service(self.database, self.folder, workers=0, extra=UNLIMITED).start())
        self.pool = [self._worker() for _ in range(self.workers)]

    def _worker(self) -> subprocess.Popen:
        return subprocess.Popen(
            [PYTHON, "-m", "grader", "worker", *FAST_LEASES],
            env={**environment(), "GRADER_DB": self.database},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def urls(self) -> list[str]:
        return [front.url for front in self.fronts]

    def kill_a_worker(self, rng: random.Random) -> None:
        with self.lock:
            index = rng.randrange(len(self.pool))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pool[index].pid, signal.SIGKILL)
            self.pool[index].wait()
            self.kills["worker"] += 1
        time.sleep(rng.uniform(0.5, 3.0))  # a supervisor notices, and starts another
        with self.lock:
            self.pool[index] = self._worker()

    def kill_a_front_end(self, rng: random.Random) -> None:
        front = rng.choice(self.fronts)
        front.stop(signal.SIGKILL)
        self.kills["front end"] += 1
        time.sleep(rng.uniform(1.0, 3.0))
        front.start()

    def stop(self) -> None:
        with self.lock:
            for process in self.pool:
                process.terminate()
            for process in self.pool:
                try:
                    process.wait(150)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        for front in self.fronts:
            front.stop()


def hand_in(cluster: Cluster, upload: Upload, token: str, began: float, deadline: float, rng) -> None:
    """Upload at its moment (retrying on another front end while answers are lost), then wait for
    the result with ?wait, from whichever front end answers."""
    time.sleep(max(0.0, began + upload.at - time.monotonic()))
    headers = {"Authorization": f"Bearer {token}"}
    sent = time.monotonic()
    while upload.submission_id is None and time.monotonic() < deadline:
        upload.tries += 1
        url = rng.choice(cluster.urls())
        try:
            answer = httpx.post(
                url + "/api/v1/submissions",
                headers=headers,
                files={"file": (f"{upload.student}.py", upload.data)},
                timeout=60,
            )
        except httpx.HTTPError:
            time.sleep(0.5)
            continue
        if answer.status_code == 202:
            upload.submission_id, upload.accepted_at = answer.json()["id"], sent
        elif answer.status_code == 429:
            time.sleep(float(answer.headers.get("Retry-After", "1")))
        else:
            upload.status = f"refused {answer.status_code}"
            return
    while upload.submission_id is not None and time.monotonic() < deadline:
        url = rng.choice(cluster.urls())
        try:
            state = httpx.get(
                f"{url}/api/v1/submissions/{upload.submission_id}",
                headers=headers,
                params={"wait": 25},
                timeout=40,
            ).json()
        except (httpx.HTTPError, ValueError):
            time.sleep(0.5)
            continue
        upload.status = state.get("status", "?")
        if upload.status in ("done", "failed"):
            upload.graded_at = time.monotonic()
            upload.score = (state.get("result") or {}).get("score")
            return


def chaos(cluster: Cluster, rng: random.Random, stop: threading.Event, every: float, front_at: float) -> None:
    began = time.monotonic()
    front_killed = False
    while not stop.wait(rng.uniform(0.5 * every, 1.5 * every)):
        cluster.kill_a_worker(rng)
        if not front_killed and time.monotonic() - began > front_at:
            cluster.kill_a_front_end(rng)
            front_killed = True


def duplicates(database: str) -> tuple[int, int]:
    """(submissions graded twice in one generation, uploads stored twice for one student)."""
    import psycopg

    with psycopg.connect(database.replace("postgresql+psycopg://", "postgresql://")) as connection:
        graded_twice = connection.execute(
            "SELECT count(*) FROM (SELECT submission_id, generation FROM results"
            " GROUP BY submission_id, generation HAVING count(*) > 1) AS twice"
        ).fetchone()
        stored_twice = connection.execute(
            "SELECT count(*) FROM (SELECT account_id, digest FROM submissions"
            " GROUP BY account_id, digest HAVING count(*) > 1) AS twice"
        ).fetchone()
    return int(graded_twice[0]), int(stored_twice[0])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--per-student", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rate", type=float, default=1.5, help="uploads per second, on average")
    parser.add_argument("--hostile", type=float, default=0.06, help="fraction of hostile uploads")
    parser.add_argument("--kill-every", type=float, default=30.0, help="seconds between worker kills")
    parser.add_argument("--grace", type=float, default=900.0, help="seconds to wait for results after")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    count = args.students * args.per_student
    arrivals, moment = [], 0.0
    for _ in range(count):  # a Poisson process: independent uploads at `rate` a second
        moment += rng.expovariate(args.rate)
        arrivals.append(moment)
    uploads = [
        Upload(f"s{k % args.students:03d}", kind, (source + f"\n# upload {k}\n").encode(), at)
        for k, ((kind, source), at) in enumerate(zip(pool(rng, count, args.hostile), arrivals, strict=True))
    ]
    folder = Path(tempfile.mkdtemp(prefix="grader-soak-"))
    postgres = Postgres()
    database = postgres.fresh_database()
    cluster = Cluster(database, folder, args.workers)
    stop = threading.Event()
    try:
        cluster.start()
        tokens = {s: cluster.fronts[0].token(s) for s in sorted({u.student for u in uploads})}
        began = time.monotonic()
        deadline = began + arrivals[-1] + args.grace
        killer = threading.Thread(
            target=chaos,
            args=(cluster, random.Random(args.seed + 1), stop, args.kill_every, arrivals[-1] / 2),
        )
        killer.start()
        with ThreadPoolExecutor(max_workers=64) as clients:
            for k, upload in enumerate(uploads):
                clients.submit(
                    hand_in, cluster, upload, tokens[upload.student], began, deadline, random.Random(k)
                )
        stop.set()
        killer.join()
        wall = time.monotonic() - began
        graded_twice, stored_twice = duplicates(database)
    finally:
        stop.set()
        cluster.stop()
        postgres.stop()

    accepted = [u for u in uploads if u.submission_id is not None]
    graded = [u for u in accepted if u.status == "done"]
    failed = [u for u in accepted if u.status == "failed"]
    lost = [u for u in accepted if u.status not in ("done", "failed")]
    wrong = [u for u in graded if u.kind == "correct" and u.score != 92.0]
    times = [u.graded_at - u.accepted_at for u in graded if u.graded_at and u.accepted_at]
    honest = [
        u.graded_at - u.accepted_at for u in graded if u.kind != "hostile" and u.graded_at and u.accepted_at
    ]
    print(f"{count} uploads from {args.students} students, {args.workers} workers, 2 front ends, PostgreSQL")
    print(f"hostile uploads: {sum(u.kind == 'hostile' for u in uploads)}; SIGKILLs: {cluster.kills}")
    print(f"accepted {len(accepted)}  graded {len(graded)}  failed {len(failed)}  lost {len(lost)}")
    print(f"duplicated: {graded_twice} graded twice, {stored_twice} stored twice")
    print(
        f"refused: {sum(u.status.startswith('refused') for u in uploads)}; retried uploads: "
        f"{sum(u.tries > 1 for u in uploads)}; correct submissions below 92: {len(wrong)}"
    )
    print(
        f"upload to result: median {statistics.median(times):.1f} s, p95 {percentile(times, 0.95):.1f} s "
        f"(honest only: median {statistics.median(honest):.1f} s, p95 {percentile(honest, 0.95):.1f} s)"
    )
    print(f"wall time {wall:.0f} s")


if __name__ == "__main__":
    main()
