"""`grader serve`: the schema migrated, the reference published, the web application under
uvicorn, and N grading workers as child processes (restarted if one dies; drained on shutdown).
With --workers 0 it is a web front end only, for PostgreSQL with `grader worker` elsewhere."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import uvicorn

from grader import assignments
from grader.plan.reference import ReferenceNotFound, default_solutions_dir
from grader.service.references import newest_digest, publish
from grader.service.settings import ServiceSettings
from grader.service.store.database import open_database
from grader.service.wake import WakeChannel
from grader.service.web.app import create_app
from grader.service.web.logs import redact_access_log
from grader.service.web.waiting import Waiting

DB_VARIABLE = "GRADER_DB"
"""Children get the database URL in their environment, never on a command line `ps` shows."""
log = logging.getLogger("grader.service")


def publish_references(engine, solutions: Path | None) -> list[str]:
    """Publish each assignment's reference found in `solutions` (or the default place); an
    assignment with none found and none published before is named in the returned list."""
    folder = solutions or default_solutions_dir()
    missing = []
    for assignment_id in assignments.ids():
        try:
            if folder is None:
                raise ReferenceNotFound("no solutions folder")
            digest = publish(engine, assignment_id, folder)
            log.info("%s: grading with reference %s", assignment_id, digest[:12])
        except ReferenceNotFound:
            with engine.connect() as connection:
                if newest_digest(connection, assignment_id) is None:
                    missing.append(assignment_id)
    return missing


def worker_command(settings: ServiceSettings) -> list[str]:
    leases = settings.leases
    return [
        sys.executable,
        "-m",
        "grader",
        "worker",
        "--lease",
        str(leases.lease_seconds),
        "--heartbeat",
        str(leases.heartbeat_seconds),
        "--parent-pid",
        str(os.getpid()),
    ]


class WorkerPool:
    """Child worker processes, each restarted when it exits while the pool is running."""

    def __init__(self, settings: ServiceSettings, size: int) -> None:
        self.settings = settings
        self.size = size
        self.children: list[subprocess.Popen] = []
        self.stopping = threading.Event()
        self.monitor = threading.Thread(target=self._watch, name="worker-pool", daemon=True)

    def _spawn(self) -> subprocess.Popen:
        env = {**os.environ, DB_VARIABLE: self.settings.db_url}
        return subprocess.Popen(worker_command(self.settings), env=env, stdin=subprocess.DEVNULL)

    def start(self) -> None:
        self.children = [self._spawn() for _ in range(self.size)]
        self.monitor.start()

    def _watch(self) -> None:
        while not self.stopping.wait(1.0):
            for index, child in enumerate(self.children):
                if child.poll() is not None and not self.stopping.is_set():
                    log.warning("worker %s exited (%s); starting another", child.pid, child.returncode)
                    if not self.stopping.wait(1.0):  # stop() may have come meanwhile
                        self.children[index] = self._spawn()

    def stop(self, grace_seconds: float) -> None:
        """Drain every worker (SIGTERM), then kill what is still running after the grace."""
        self.stopping.set()
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for child in self.children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


class _Server(uvicorn.Server):
    """uvicorn's server, answering the requests that wait for a result (`?wait`) as soon as it
    begins to stop: it lets open requests finish, and they would hold it for their wait."""

    def __init__(self, config: uvicorn.Config, waiting: Waiting) -> None:
        super().__init__(config)
        self.waiting = waiting

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.waiting.release()
        await super().shutdown(sockets)


def serve(settings: ServiceSettings, host: str, port: int, workers: int, solutions: Path | None) -> None:
    engine = open_database(settings.db_url)
    missing = publish_references(engine, solutions)
    if missing:
        log.warning(
            "no reference for %s: its submissions will fail until one is published", ", ".join(missing)
        )
    waiting = Waiting(engine)
    channel = WakeChannel(settings.db_url, poll_seconds=settings.poll_seconds)
    app = create_app(settings, engine, channel, waiting)
    pool = WorkerPool(settings, workers)
    if workers:
        pool.start()
    config = uvicorn.Config(
        app, host=host, port=port, log_level="info", proxy_headers=True, server_header=False, access_log=True
    )
    redact_access_log()  # after Config, which (re)configures uvicorn's loggers
    try:
        _Server(config, waiting).run()
    finally:
        pool.stop(grace_seconds=150.0)
