"""The grader's end of the fork server (grader/run/sandbox/forkserver.py): one zygote per grading
thread, started like a worker (same namespaces, environment and `setpriv --pdeathsig`), which
forks one sandbox per submission. Interpreter start, numpy import and pyseccomp import are paid
once per zygote instead of once per submission; everything that confines a sandbox is still
done by each child (grader/run/sandbox/confine.py).

A zygote serves CHILDREN_PER_ZYGOTE children, then a new one takes over (the old one is closed
once its last child is gone); one that dies is replaced. Where no zygote can start (no
namespaces, or its children could not make theirs), or GRADER_ZYGOTE=0, sandboxes are fresh
processes as before, and `grader doctor` says why."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import threading
from pathlib import Path

from grader.run.sandbox import harden

FORKSERVER_SOURCE = (Path(__file__).parent / "forkserver.py").read_text(encoding="utf-8")
WORKER_SOURCE = (Path(__file__).parent / "worker.py").read_text(encoding="utf-8")
CHILDREN_PER_ZYGOTE = 500
START_SECONDS = 60.0
REPLY_SECONDS = 40.0
"""How long the zygote may take to answer a request (a kill waits for the child to be reaped)."""


class ZygoteGone(Exception):
    """The zygote died or broke its protocol."""


class Zygote:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        settings = {"libraries": harden.libraries()}
        argv = harden.command(
            [
                *python_argv(),
                "-c",
                FORKSERVER_SOURCE,
                str(theirs.fileno()),
                json.dumps(harden.import_paths()),
                WORKER_SOURCE,
                json.dumps(settings),
            ]
        )
        try:
            self.popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                cwd="/",
                env=harden.environment(Path("/nonexistent")),
                start_new_session=True,
                close_fds=True,
            )
        finally:
            theirs.close()
        self.socket = ours
        self.owner = (os.getpid(), threading.get_ident())
        self.forked = 0
        self.live: set[int] = set()
        self.retired = False
        try:
            ready = self._receive(START_SECONDS)
        except ZygoteGone as exc:
            self.close()
            raise ZygoteGone(f"the zygote did not start: {exc}") from None
        if not ready.get("ready"):
            self.close()
            raise ZygoteGone(f"its children cannot make their namespaces: {ready.get('error')}")

    def _receive(self, seconds: float) -> dict:
        self.socket.settimeout(seconds)
        try:
            data = self.socket.recv(1 << 20)
        except OSError as exc:
            raise ZygoteGone(str(exc) or type(exc).__name__) from None
        if not data:
            raise ZygoteGone("it exited")
        try:
            reply = json.loads(data)
        except ValueError:
            raise ZygoteGone("malformed reply") from None
        if not isinstance(reply, dict) or "error" in reply and "ready" not in reply:
            raise ZygoteGone(str(reply.get("error") if isinstance(reply, dict) else reply))
        return reply

    def request(self, obj: dict, fds: tuple[int, ...] = ()) -> dict:
        try:
            socket.send_fds(self.socket, [json.dumps(obj).encode()], list(fds))
        except OSError as exc:
            raise ZygoteGone(str(exc)) from None
        return self._receive(REPLY_SECONDS)

    def fork(self, request_read: int, reply_write: int, env: dict[str, str]) -> int:
        """A new child reading requests from `request_read` and replying on `reply_write`."""
        child = self.request({"op": "fork", "env": env}, (request_read, reply_write))["id"]
        self.forked += 1
        self.live.add(child)
        return child

    def status(self, child: int, timeout: float) -> int | None:
        """Its exit code (like Popen.returncode), or None if it still runs after `timeout`."""
        return self.request({"op": "wait", "id": child, "timeout": timeout})["status"]

    def kill(self, child: int) -> int | None:
        """Kill the child (and its PID namespace) and reap it."""
        self.live.discard(child)
        try:
            return self.request({"op": "kill", "id": child})["status"]
        finally:
            if self.retired and not self.live:
                self.close()

    def alive(self) -> bool:
        return self.popen.poll() is None

    def close(self) -> None:
        """Let it exit on its own (so its and its children's CPU time is counted), else kill it."""
        with contextlib.suppress(OSError):
            self.socket.close()
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, 9)
            self.popen.wait()


class ForkedChild:
    """A sandbox forked by a zygote, with the part of subprocess.Popen's interface the worker
    uses. `pid` is the zygote's (the process whose death takes this sandbox with it); the
    child's own pid means nothing outside the zygote's namespace."""

    def __init__(self, zygote: Zygote, child: int) -> None:
        self.zygote = zygote
        self.child = child
        self.pid = zygote.popen.pid
        self.returncode: int | None = None
        self._done = False

    def poll(self) -> int | None:
        if self.returncode is None and not self._done:
            try:
                self.returncode = self.zygote.status(self.child, 0.0)
            except ZygoteGone:
                self.returncode = -9
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None and not self._done:
            try:
                self.returncode = self.zygote.status(self.child, 30.0 if timeout is None else timeout)
            except ZygoteGone:
                self.returncode = -9
        if self.returncode is None:
            raise subprocess.TimeoutExpired("sandbox", timeout or 0)
        return self.returncode

    def terminate(self) -> None:
        """Kill it and everything it started (its PID namespace), and reap it."""
        if self._done:
            return
        self._done = True
        try:
            code = self.zygote.kill(self.child)
        except ZygoteGone:
            code = -9
        if self.returncode is None:
            self.returncode = code


_local = threading.local()
_unavailable: list[str] = []
"""Why this process's sandboxes are fresh processes (empty while zygotes work)."""


def enabled() -> bool:
    return os.environ.get("GRADER_ZYGOTE", "1") != "0"


def state() -> tuple[bool, str]:
    """Whether sandboxes are forked from a zygote here, and how or why not."""
    if not enabled():
        return False, "turned off (GRADER_ZYGOTE=0): a fresh python per submission"
    if _unavailable:
        return False, f"{_unavailable[-1]}; a fresh python per submission"
    return True, (
        f"children forked from a zygote holding numpy and the worker's code, "
        f"replaced after {CHILDREN_PER_ZYGOTE} children"
    )


def current() -> Zygote | None:
    """This thread's zygote, started (or replaced) if need be; None where there can be none."""
    zygote: Zygote | None = getattr(_local, "zygote", None)
    if zygote is not None and zygote.owner != (os.getpid(), threading.get_ident()):
        zygote = None  # inherited through fork: the parent's, never used here
    if zygote is not None and (not zygote.alive() or zygote.forked >= CHILDREN_PER_ZYGOTE):
        zygote.retired = True
        if not zygote.live or not zygote.alive():
            zygote.close()
        zygote = None
    if zygote is None:
        if not harden.namespaces_available():
            _unavailable.append(f"no namespaces ({harden.namespaces().detail})")
            return None
        try:
            zygote = Zygote()
        except (ZygoteGone, OSError) as exc:
            _unavailable.append(str(exc)[:300])
            return None
        _local.zygote = zygote
    return zygote


def spawn(request_read: int, reply_write: int, workdir: Path) -> ForkedChild | None:
    """A sandbox forked by this thread's zygote, or None where there is none (the caller then
    starts a fresh process)."""
    if not enabled() or _unavailable:
        return None
    for _ in range(2):  # a zygote that died since its last child is replaced once
        zygote = current()
        if zygote is None:
            return None
        try:
            return ForkedChild(zygote, zygote.fork(request_read, reply_write, harden.environment(workdir)))
        except ZygoteGone:
            zygote.retired = True
            _local.zygote = None
            if not zygote.live:
                zygote.close()
    return None


def close_all() -> None:
    """Close this thread's zygote (for benchmarks: its CPU time is then counted as a child's)."""
    zygote = getattr(_local, "zygote", None)
    _local.zygote = None
    if zygote is not None and zygote.owner == (os.getpid(), threading.get_ident()):
        zygote.close()


def python_argv() -> list[str]:
    import sys

    return [sys.executable, "-I", "-S", "-B"]
