"""What the instructor's dashboard shows, as plain data: the queue, each worker's host, state,
load and last heartbeat, and per assignment the counted score of every student per exercise.
The page renders it once and its script refreshes it from /dashboard/live.json."""

from __future__ import annotations

import functools
import time

from sqlalchemy import Engine, func, select

from grader import assignments
from grader.report.class_report import section
from grader.service import jobs
from grader.service.results import counted
from grader.service.settings import ServiceSettings
from grader.service.store.schema import results, submissions, workers
from grader.service.wake import WakeChannel


def worker_rows(engine: Engine, settings: ServiceSettings, now: float) -> list[dict]:
    silent = settings.leases.worker_silent_seconds
    with engine.connect() as connection:
        rows = connection.execute(
            select(workers).where(workers.c.last_heartbeat > now - 24 * 3600).order_by(workers.c.started_at)
        ).all()
    out = []
    for row in rows:
        alive = row.state != "stopped" and now - row.last_heartbeat <= silent
        if row.state == "stopped" and now - row.last_heartbeat > 600:
            continue
        out.append(
            {
                "id": row.id,
                "host": row.host,
                "pid": row.pid,
                "state": row.state if alive or row.state == "stopped" else "lost",
                "job": row.job_id,
                "load": round(row.load, 2),
                "graded": row.graded,
                "last_heartbeat_ago": round(now - row.last_heartbeat, 1),
            }
        )
    return out


def class_table(engine: Engine, assignment: str) -> dict:
    ids = [e.name for e in assignments.get(assignment).exercises]
    with engine.connect() as connection:
        entries = counted(connection, assignment)
        total = connection.execute(
            select(func.count()).select_from(submissions).where(submissions.c.assignment == assignment)
        ).scalar_one()
    rows = []
    for entry in entries:
        scores = {e["id"]: e["score"] for e in entry.document["exercises"]}
        rows.append(
            {
                "student": entry.student,
                "submission": entry.submission_id,
                "score": entry.final_score,
                "max_score": entry.totals["total_max_score"],
                "late_penalty": entry.penalty,
                "exercises": [scores.get(i) for i in ids],
            }
        )
    return {"assignment": assignment, "exercises": ids, "submissions": int(total), "students": rows}


def live(engine: Engine, settings: ServiceSettings) -> dict:
    now = time.time()
    with engine.connect() as connection:
        counts = jobs.queue_counts(connection)
        newest = connection.execute(select(func.max(results.c.id))).scalar_one()
    working = worker_rows(engine, settings, now)
    return {
        "queue": counts,
        "workers": working,
        "workers_alive": sum(w["state"] in ("idle", "busy", "draining") for w in working),
        "workers_busy": sum(w["state"] == "busy" for w in working),
        "results_version": int(newest or 0),
        "classes": [class_table(engine, a) for a in assignments.ids()],
    }


@functools.lru_cache(maxsize=8)
def _plots(assignment: str, version: int, documents: tuple[str, ...]) -> str:
    import json

    return section([json.loads(d) for d in documents], f"{assignment}: the counted submissions")


def plots(engine: Engine, assignment: str) -> str:
    """The class report's plots for the counted submissions (cached until a result arrives)."""
    import json

    with engine.connect() as connection:
        entries = counted(connection, assignment)
        version = connection.execute(select(func.max(results.c.id))).scalar_one() or 0
    if not entries:
        return ""
    return _plots(assignment, int(version), tuple(json.dumps(e.document, sort_keys=True) for e in entries))


def regrade_and_wake(engine: Engine, channel: WakeChannel, assignment: str, student: str | None) -> list[int]:
    added = jobs.regrade(engine, assignment, student, "regrade requested by an instructor")
    for job_id in added[: 4 * 64]:
        channel.wake(job_id)
    return added
