"""What a refused or expensive upload costs the front end (issue 19, finding 2): `grader serve`
(SQLite, no workers) on loopback, sent the red team's upload (four 5 MiB nbformat-3 notebooks
and a `bad.txt`), then the same four notebooks without `bad.txt` (so they must be parsed), and
/health's latency while three such uploads (three accounts) are in flight. Prints figures,
asserts nothing (a shared machine):

    python benchmarks/upload_refusal.py [--source DIR]

--source runs the service from another checkout (e.g. `git archive HEAD~3 | tar -x -C DIR`),
so the figures before and after a change are taken with the same script.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx  # noqa: E402
import servicekit  # noqa: E402
from servicekit import UNLIMITED, Service  # noqa: E402

NOTEBOOK_BYTES = 5 << 20


def v3_notebook(size: int = NOTEBOOK_BYTES - 4096) -> bytes:
    """An nbformat-3 notebook of about `size` bytes: many small code cells, the shape that made
    nbformat's upgrade and validation slow."""
    cell = {
        "cell_type": "code",
        "collapsed": False,
        "input": ["x = 1\n"],
        "language": "python",
        "metadata": {},
        "outputs": [],
        "prompt_number": 1,
    }
    count = size // (len(json.dumps(cell)) + 2)
    document = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": ""},
        "worksheets": [{"cells": [cell] * count, "metadata": {}}],
    }
    return json.dumps(document).encode()


def upload(service: Service, token: str, files: list[tuple[str, bytes]]) -> tuple[int, float, str]:
    started = time.monotonic()
    answer = httpx.post(
        service.url + "/api/v1/submissions",
        headers={"Authorization": f"Bearer {token}"},
        files=[("file", item) for item in files],
        timeout=600,
    )
    return answer.status_code, time.monotonic() - started, answer.text[:160]


def health_during(service: Service, work: list[threading.Thread]) -> list[float]:
    """/health latencies (seconds), asked every 50 ms while any of `work` runs."""
    latencies = []
    with httpx.Client(timeout=60) as client:
        while any(t.is_alive() for t in work):
            started = time.monotonic()
            client.get(service.url + "/api/v1/health")
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, help="run the service from this checkout")
    args = parser.parse_args()
    if args.source:
        servicekit.environment = lambda: {  # type: ignore[assignment]
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(args.source.resolve()),
        }
    notebook = v3_notebook()
    notebooks = [(f"nb{k}.ipynb", notebook + b" " * k) for k in range(4)]
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{folder}/bench.sqlite"
        service = Service(database, Path(folder), workers=0, extra=UNLIMITED).start()
        try:
            tokens = [service.token(f"s{k}") for k in range(4)]
            with httpx.Client(timeout=60) as client:
                idle = []
                for _ in range(20):
                    started = time.monotonic()
                    client.get(service.url + "/api/v1/health")
                    idle.append(time.monotonic() - started)
            print(f"/health idle: median {statistics.median(idle) * 1000:.0f} ms")
            status, seconds, text = upload(service, tokens[0], [*notebooks, ("bad.txt", b"hello")])
            print(f"red team's upload (4 x 5 MiB v3 + bad.txt): {status} after {seconds:.2f} s  {text}")
            status, seconds, text = upload(service, tokens[0], notebooks)
            print(f"the 4 notebooks alone (parsed): {status} after {seconds:.2f} s")
            for label, files in (("with bad.txt", [*notebooks, ("bad.txt", b"x")]), ("parsed", notebooks)):
                results: list[tuple[int, float, str]] = []
                work = [
                    threading.Thread(target=lambda t=t, r=results, f=files: r.append(upload(service, t, f)))
                    for t in tokens[1:]
                ]
                for thread in work:
                    thread.start()
                latencies = health_during(service, work)
                for thread in work:
                    thread.join()
                times = ", ".join(f"{r[0]} in {r[1]:.2f} s" for r in results)
                print(f"three at once ({label}): {times}")
                if latencies:
                    print(
                        f"  /health meanwhile: median {statistics.median(latencies) * 1000:.0f} ms, "
                        f"max {max(latencies) * 1000:.0f} ms ({len(latencies)} requests)"
                    )
        finally:
            service.stop()


if __name__ == "__main__":
    main()
