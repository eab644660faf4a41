"""One sandboxed worker process, seen from the grader: start it, exchange frames with deadlines,
kill it and everything it started. Student code never runs in the grader's process: the
worker is a child forked by a zygote that holds nobody's data (grader/run/sandbox/zygote.py),
or where there is none a fresh `python -I -S` started by subprocess; never reused."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import struct
import subprocess
import time
from pathlib import Path

from grader.run.sandbox import harden, zygote
from grader.run.sandbox.wire import (
    MAX_FRAME_BYTES,
    TICK,
    ProtocolError,
    decode_frame,
    encode_frame,
    frame_length,
)
from grader.run.sandbox.zygote import ForkedChild

WORKER_SOURCE = (Path(__file__).parent / "worker.py").read_text(encoding="utf-8")


OUT_OF_TURN = "its process wrote to the grader's channel out of turn"


class WorkerGone(Exception):
    """The worker died, closed its pipe or broke the protocol."""


class WorkerTimeout(Exception):
    """The worker did not answer before the deadline."""


class WorkerProcess:
    """The grader's end of the two pipes. Both ends are non-blocking and every wait is a
    `select` with the deadline: whatever the student's code writes to whatever descriptor, the
    grader never blocks in a system call (a blocking write of a request while the sandbox blocks
    writing forged frames to a full reply pipe once deadlocked both for good). The worker writes
    nothing between a reply and the next request and numbers its replies, so a frame out of turn
    is found at once and blamed on the batch during which it was written."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        request_read, self._request_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        try:
            self.popen: ForkedChild | FreshProcess = zygote.spawn(
                request_read, reply_write, workdir
            ) or FreshProcess(workdir, request_read, reply_write)
        finally:
            os.close(request_read)
            os.close(reply_write)
        os.set_blocking(self._request_write, False)
        os.set_blocking(self._reply_read, False)
        self._buffer = bytearray()
        self._requests = 0
        """Request frames sent; the worker's reply to the last one carries `seq` = this - 1."""

    def send(self, obj, deadline: float) -> None:
        self.send_bytes(encode_frame(obj), deadline)

    def send_bytes(self, data: bytes, deadline: float) -> None:
        """Write one request frame by the deadline, watching the reply pipe meanwhile: an honest
        worker writes nothing until it has read the whole request, so any byte there now was
        written out of turn (and not reading it could leave both sides blocked)."""
        if self._buffer:
            raise WorkerGone(OUT_OF_TURN)
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerTimeout()
            readable, writable, _ = select.select([self._reply_read], [self._request_write], [], remaining)
            if readable:
                if self._read_chunk():
                    raise WorkerGone(OUT_OF_TURN)
                raise WorkerGone(self.exit_description())
            if not writable:
                continue
            try:
                written = os.write(self._request_write, view[: 1 << 16])
            except BlockingIOError:
                continue
            except OSError as exc:
                raise WorkerGone(str(exc)) from None
            view = view[written:]
        self._requests += 1

    def receive(
        self, deadline: float, elements: int, call_seconds: float | None = None, calls: int = 0
    ) -> dict:
        """The next reply frame. Ticks (a call starting) before it hold each call to
        `call_seconds` from outside; they must name the calls in order, 0 to `calls` - 1, each
        once, so code that ignores its alarm cannot keep one call alive past the limit by
        ticking again. A reply with more than `elements` JSON values is refused before it is
        decoded; the raw numbers that may follow it (its "bytes"), when more than 8 * `elements`
        bytes. They are read only once the reply's `seq` is found right, into reply["numbers"]."""
        call_deadline = deadline
        started = 0
        while True:
            header = self._read(8, min(deadline, call_deadline))
            (value,) = struct.unpack(">Q", header)
            if not value & TICK:
                break
            if value & ~TICK != started or started >= calls:
                raise WorkerGone(OUT_OF_TURN)
            started += 1
            if call_seconds is not None:
                call_deadline = time.monotonic() + call_seconds
        try:
            length = frame_length(header)
        except ProtocolError as exc:
            raise WorkerGone(str(exc)) from None
        data = self._read(length, deadline)
        try:
            reply = decode_frame(data, elements)
        except ProtocolError as exc:
            raise WorkerGone(str(exc)) from None
        seq = reply.get("seq")
        if type(seq) is not int or seq != self._requests - 1:  # bool is not int here
            raise WorkerGone(OUT_OF_TURN)
        size = reply.pop("bytes", None)
        if size is not None:  # the answers' numbers, raw float64 after the JSON
            if type(size) is not int or not 0 <= size <= min(MAX_FRAME_BYTES, 8 * elements):
                raise WorkerGone("malformed reply: its numbers' size")
            reply["numbers"] = self._read(size, deadline)
        return reply

    def _read(self, n: int, deadline: float) -> bytes:
        while len(self._buffer) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerTimeout()
            readable, _, _ = select.select([self._reply_read], [], [], remaining)
            if readable and not self._read_chunk():
                raise WorkerGone(self.exit_description())
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data

    def _read_chunk(self) -> bool:
        """Append what the reply pipe holds to the buffer; False at end of file."""
        try:
            chunk = os.read(self._reply_read, 1 << 20)
        except BlockingIOError:
            return True
        except OSError as exc:
            raise WorkerGone(str(exc)) from None
        self._buffer += chunk  # a bytearray grows in place: a large frame costs linear time
        return bool(chunk)

    def exit_description(self) -> str:
        try:
            code = self.popen.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "its process closed the reply channel"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = {
                "SIGXCPU": " (CPU time limit)",
                "SIGKILL": " (killed; memory or time limit)",
                "SIGSEGV": " (segmentation fault)",
                "SIGXFSZ": " (file size limit)",
            }.get(name, "")
            return f"its process was killed by {name}{hint}"
        return f"its process exited with code {code}"

    def close(self) -> None:
        """Kill the worker and its whole process group."""
        for fd in (self._request_write, self._reply_read):
            with contextlib.suppress(OSError):
                os.close(fd)
        # Nothing the worker started outlives this: it is the init of its own PID namespace
        # (and where namespaces are missing, seccomp forbids it to start processes at all).
        self.popen.terminate()


class FreshProcess:
    """A worker started as a fresh `python -I -S` (where there is no zygote)."""

    def __init__(self, workdir: Path, request_read: int, reply_write: int) -> None:
        fds = [str(request_read), str(reply_write)]
        argv = harden.command([*_python_argv(), "-c", WORKER_SOURCE, *fds, json.dumps(harden.import_paths())])
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(request_read, reply_write),
            cwd=workdir,
            env=harden.environment(workdir),
            start_new_session=True,
            close_fds=True,
        )
        self.pid = self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self.process.wait(timeout)

    def terminate(self) -> None:
        """Kill the worker and its whole process group, and reap it."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()


def _python_argv() -> list[str]:
    import sys

    return [sys.executable, "-I", "-S", "-B"]
