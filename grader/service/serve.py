"""`grader serve`: the schema migrated, the reference published, the web application under
uvicorn, and N grading workers as child processes (pool.py: restarted if one dies; drained on
SIGTERM or SIGINT before serve exits). With --workers 0 it is a web front end only, for
PostgreSQL with `grader worker` elsewhere."""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import uvicorn

from grader import assignments
from grader.plan.reference import ReferenceNotFound, default_solutions_dir
from grader.service.pool import WorkerPool
from grader.service.references import newest_digest, publish
from grader.service.settings import ServiceSettings
from grader.service.store.database import open_database
from grader.service.wake import WakeChannel
from grader.service.web.app import create_app
from grader.service.web.logs import redact_access_log
from grader.service.web.waiting import Waiting

log = logging.getLogger("grader.service")
SHUTDOWN_REQUESTS_SECONDS = 30
"""How long a stopping server lets open requests (an upload still arriving) finish."""


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


class PortBusy(Exception):
    """The address cannot be listened on; the message names it, in one line."""


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything else starts (the database, the workers): a
    second `grader serve` on a busy port once migrated, started its workers, then let uvicorn
    log the failure among a shutdown's lines and exit 3."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(
                f"{where} is already in use (another grader serve?): stop it or choose --port"
            ) from None
        raise PortBusy(f"cannot listen on {where}: {exc.strerror or exc}") from None
    return listener


class _Server(uvicorn.Server):
    """uvicorn's server, stopping the way a supervisor expects. On SIGTERM or SIGINT it stops
    accepting, answers the requests that wait for a result (`?wait`: uvicorn lets open requests
    finish, and they would hold it for their wait), lets the others finish, then drains the
    workers (pool.py) and only then exits. uvicorn re-raises the signal when its
    `capture_signals` ends, which would end the process at once: the drain runs before that."""

    def __init__(self, config: uvicorn.Config, waiting: Waiting, pool: WorkerPool, drain_seconds: float):
        super().__init__(config)
        self.waiting = waiting
        self.pool = pool
        self.drain_seconds = drain_seconds

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.pool.stopping.set()  # a worker that exits now (Ctrl-C reaches them too) stays stopped
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            try:
                yield
            finally:
                self.pool.stop(self.drain_seconds)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if sockets and self.started:  # uvicorn says where it listens only for sockets it bound
            host, port = sockets[0].getsockname()[:2]
            log.info("listening on http://%s:%d", f"[{host}]" if ":" in host else host, port)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.waiting.release()
        await super().shutdown(sockets)


def serve(
    settings: ServiceSettings,
    host: str,
    port: int,
    workers: int,
    solutions: Path | None,
    listener: socket.socket | None = None,
) -> None:
    """Serve until stopped; `listener` is the socket bind() made (else uvicorn binds host:port)."""
    engine = open_database(settings.db_url)
    missing = publish_references(engine, solutions)
    if missing:
        log.warning(
            "no reference for %s: its submissions will fail until one is published", ", ".join(missing)
        )
    waiting = Waiting(engine)
    channel = WakeChannel(settings.db_url, poll_seconds=settings.poll_seconds)
    app = create_app(settings, engine, channel, waiting)
    pool = WorkerPool(settings, engine, workers)
    if workers:
        pool.start()
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
        server_header=False,
        access_log=True,
        timeout_graceful_shutdown=SHUTDOWN_REQUESTS_SECONDS,
    )
    redact_access_log()  # after Config, which (re)configures uvicorn's loggers
    try:
        _Server(config, waiting, pool, settings.drain_seconds).run([listener] if listener else None)
    finally:
        pool.stop(settings.drain_seconds)  # when uvicorn failed before it captured the signals
