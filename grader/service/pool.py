"""`grader serve`'s grading workers: child processes, restarted when one exits while the pool
runs, and drained when it stops. A supervisor (systemd, a container runtime) sees the service
stopped only once its workers are: on stop each gets SIGTERM and finishes the job in hand;
past the bound (`ServiceSettings.drain_seconds`) the ones still running are killed and their
jobs' leases released, so the next worker takes those jobs up at once instead of after the
lease. A killed worker's sandbox dies with it (`setpriv --pdeathsig`)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from sqlalchemy import Engine

from grader.service import jobs
from grader.service.settings import ServiceSettings

DB_VARIABLE = "GRADER_DB"
"""Children get the database URL in their environment, never on a command line `ps` shows."""
log = logging.getLogger("grader.service")


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

    def __init__(self, settings: ServiceSettings, engine: Engine, size: int) -> None:
        self.settings = settings
        self.engine = engine
        self.size = size
        self.children: list[subprocess.Popen] = []
        self.stopping = threading.Event()
        """Set as soon as the server is told to stop: from then on no worker is restarted."""
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

    def stop(self, drain_seconds: float) -> None:
        """Drain every worker (SIGTERM) and wait for them; kill the ones still running after
        `drain_seconds` and release their jobs. Returns once no worker of this pool runs."""
        self.stopping.set()
        if self.monitor.is_alive():
            self.monitor.join()  # it may be starting a worker: wait, so that one is drained too
        running = [child for child in self.children if child.poll() is None]
        if not running:
            return
        log.info("draining %d worker(s), for at most %g s", len(running), drain_seconds)
        for child in running:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + drain_seconds
        killed = []
        for child in running:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                killed.append(child.pid)
        if killed:
            self._release(killed)

    def _release(self, pids: list[int]) -> None:
        try:
            released = jobs.release_workers(self.engine, socket.gethostname(), pids)
        except Exception as exc:  # noqa: BLE001 - the leases then run out on their own
            log.warning("cannot release the killed workers' jobs (%s)", exc.__class__.__name__)
            return
        log.warning(
            "killed %d worker(s) still grading after the drain; %d job(s) released for the next worker",
            len(pids),
            released,
        )
