"""What the instructor's downloads cost (issue 18, items 1 and 2): a class of --students on a
fresh SQLite database, each with one submission of two files (--kib each, half of it random so
it does not all compress away), none graded yet (the zip takes their latest). Builds the Canvas
and Moodle exports and the assignment zip --runs times each, and prints the medians, the zip's
size and the largest Python allocation while building it (tracemalloc: the files of one
submission at a time, not the class). Prints figures, asserts nothing (a shared machine):

    python benchmarks/course_downloads.py [--students 300] [--kib 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import insert  # noqa: E402

from grader.service import exports, zips  # noqa: E402
from grader.service.accounts import ensure_account  # noqa: E402
from grader.service.store.database import open_database, writing  # noqa: E402
from grader.service.store.schema import submission_files, submissions  # noqa: E402


def seed(url: str, students: int, kib: int) -> None:
    engine = open_database(url)
    with writing(engine) as connection:
        for number in range(students):
            student = f"s{number:04d}"
            ensure_account(connection, student, "student", "First", f"Last{number}", f"{student}@example.org")
            data = {name: os.urandom(kib * 512) + b"#" * (kib * 512) for name in ("backprop.py", "gd.py")}
            submission_id = connection.execute(
                insert(submissions).values(
                    account_id=student,
                    assignment="hw1",
                    created_at=time.time(),
                    digest=f"{number:064x}",
                    files=json.dumps(sorted(data)),
                    size=sum(len(d) for d in data.values()),
                    late_days=0.0,
                    penalty=0.0,
                )
            ).inserted_primary_key[0]
            connection.execute(
                insert(submission_files),
                [{"submission_id": submission_id, "name": n, "data": d} for n, d in data.items()],
            )
    engine.dispose()


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--kib", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        seed(url, options.students, options.kib)
        engine = open_database(url)

        def export(kind: str) -> None:
            with engine.connect() as connection:
                if kind == "canvas":
                    exports.canvas_csv(connection, "hw1", "hw1")
                else:
                    exports.moodle_csv(connection, "hw1", "hw1")

        def build() -> int:
            handle = zips.assignment_zip(engine, "hw1")
            size = handle.seek(0, os.SEEK_END)
            handle.close()
            return size

        canvas, moodle = (
            timed(lambda: export("canvas"), options.runs),
            timed(lambda: export("moodle"), options.runs),
        )
        zipping = timed(build, options.runs)
        tracemalloc.start()
        size = build()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        files = options.students * 2 * options.kib * 1024
        print(f"class: {options.students} students, {files / 2**20:.1f} MiB of files")
        print(f"{'canvas csv':>14} {'moodle csv':>12} {'zip':>10} {'zip size':>12} {'peak alloc':>12}")
        print(
            f"{canvas * 1000:>12.0f}ms {moodle * 1000:>10.0f}ms {zipping:>9.2f}s "
            f"{size / 2**20:>8.1f} MiB {peak / 2**20:>8.1f} MiB"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
