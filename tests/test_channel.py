"""The channel between the grader and a sandbox cannot be jammed: whatever the student's code
writes to whatever descriptor, or if it stops reading requests, the grader never blocks in a
system call, a forged frame is never taken for a reply, every exchange ends by its deadline, and
the next function gets a fresh, working process.

Each exchange runs under a watchdog (far above its deadline): a deadlock fails the test instead
of hanging the suite."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from grader.model.exercise import Returns
from grader.model.unit import Unit
from grader.run.runner import Call
from grader.run.sandbox import Limits, SandboxSession
from grader.run.sandbox.process import OUT_OF_TURN

LIMITS = Limits(call_seconds=0.5, call_grace_seconds=0.5, batch_seconds=3, cell_seconds=2, load_seconds=5)
WATCHDOG = 60.0
"""Seconds an exchange may take before the test calls it a deadlock (its deadline is 3 s)."""

SOURCE = r'''
import json, os, signal, struct, sys, time
import numpy as np

def _frame(obj, tick=False):
    data = json.dumps(obj).encode()
    head = struct.pack(">Q", 1 << 63) if tick else b""
    return head + struct.pack(">Q", len(data)) + data

_FORGED = _frame({"outcomes": [{"ok": {"shape": [1], "v": [0.0]}}] * 50, "printed": 0}, tick=True)

def _everywhere(blob, fds=range(3, 41)):
    for fd in fds:
        try:
            os.write(fd, blob)
        except OSError:
            pass

def good(z):
    return np.asarray(z) * 2

def forge_every_fd(z):
    _everywhere(_FORGED)
    return np.asarray(z) * 2

def forge_on_stdio(z):
    _everywhere(_FORGED, (1, 2))
    sys.__stdout__.write("x" * 10)
    return np.asarray(z) * 2

def partial_frame(z):
    _everywhere(struct.pack(">Q", 1 << 20) + b"{\"outco")
    return np.asarray(z) * 2

def frame_beyond_the_pipe(z):
    _everywhere(_frame({"outcomes": [], "pad": "p" * (1 << 20)}))
    return np.asarray(z) * 2

def stop_reading(z):
    """The worker reads 5,000 more bytes of requests, then never returns from a read (and
    ignores alarms): the grader finds room in the pipe, but not for all it has to write."""
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    real, left = os.read, [5000]
    def stalls(fd, n):
        while not left[0]:
            time.sleep(1)
        data = real(fd, min(n, left[0]))
        left[0] -= len(data)
        return data
    os.read = stalls
    return np.asarray(z) * 2

def oversize_header(z):
    _everywhere(struct.pack(">Q", (32 << 20) + 1))
    time.sleep(5)
    return np.asarray(z) * 2

def huge_integer(z):
    """A reply numbered right, whose number no float can hold."""
    seq = sys.modules["__main__"].REQUESTS[0] - 1
    body = '{"outcomes": [{"ok": {"shape": [], "v": [1' + "0" * 400 + ']}}], "printed": 0, "seq": %d}' % seq
    _everywhere(struct.pack(">Q", len(body)) + body.encode())
    time.sleep(5)
    return np.asarray(z) * 2

def tick_keepalive(z):
    """Ignores its alarm and ticks again and again to stretch one call far past its limit."""
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    main = sys.modules["__main__"]
    started = time.monotonic()
    while time.monotonic() - started < 6:
        main.tick(0)
        time.sleep(0.3)
    return np.asarray(z) * 2

def forge_with_the_right_seq(z):
    """A careful forger: a reply numbered as the worker numbers it, before the worker's own."""
    seq = sys.modules["__main__"].REQUESTS[0] - 1
    _everywhere(_frame({"outcomes": [{"ok": {"shape": [1], "v": [5.0]}}], "printed": 0, "seq": seq}))
    return np.asarray(z) * 2
'''
NAMES = [
    "good",
    "forge_every_fd",
    "forge_on_stdio",
    "partial_frame",
    "frame_beyond_the_pipe",
    "stop_reading",
    "forge_with_the_right_seq",
    "oversize_header",
    "huge_integer",
    "tick_keepalive",
]
ONE = [(np.ones(1),)]
BIG = [(np.arange(300.0),)] * 400
"""A request far larger than a pipe's 64 KiB: writing it blocks unless the sandbox reads."""


def _ask(s: SandboxSession, name: str, cases=ONE) -> tuple[list, float]:
    """The outcomes of one exchange and its wall time, or a failed test if it never ends."""
    box: dict = {}

    def run() -> None:
        box["outcomes"] = s.ask(Call(name, Returns.ARRAY, 0), cases)

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(WATCHDOG)
    assert not thread.is_alive(), f"asking {name} deadlocked the grader (no answer in {WATCHDOG:g} s)"
    return box["outcomes"], time.monotonic() - started


@pytest.fixture
def sandbox():
    with SandboxSession([Unit("s.py", (SOURCE,), False)], {}, NAMES, LIMITS) as s:
        report = s.load()
        assert report.failure is None and set(NAMES) <= report.defined
        yield s


def _then_good(s: SandboxSession) -> None:
    """The next function is answered normally, by a working process."""
    [(kind, answer)] = _ask(s, "good", [(np.array([1.5]),)])[0]
    assert kind == "ok" and answer.tolist() == [3.0]


def test_frames_forged_on_every_descriptor_crash_that_function_only(sandbox):
    outcomes, _ = _ask(sandbox, "forge_every_fd", ONE * 20)
    assert outcomes == [("crash", f"forge_every_fd crashed: {OUT_OF_TURN}")]
    _then_good(sandbox)


def test_forging_while_a_large_request_is_written_cannot_deadlock(sandbox):
    """The red team's deadlock: the sandbox blocks writing forged frames to a full reply pipe
    while the grader writes the next (large) request; both sides must not wait on each other."""
    outcomes, _ = _ask(sandbox, "forge_every_fd", BIG)
    assert outcomes[0][0] == "crash"
    outcomes, _ = _ask(sandbox, "good", BIG)
    assert [kind for kind, _ in outcomes] == ["ok"] * len(BIG)


def test_frames_on_stdout_and_stderr_go_nowhere(sandbox):
    outcomes, _ = _ask(sandbox, "forge_on_stdio", [(np.array([2.0]),)] * 5)
    assert [(kind, answer.tolist()) for kind, answer in outcomes] == [("ok", [4.0])] * 5


def test_a_partial_frame_ends_as_a_timeout_by_the_batch_deadline(sandbox):
    outcomes, seconds = _ask(sandbox, "partial_frame", ONE * 3)
    assert outcomes[0][0] == "timeout"
    assert seconds < LIMITS.batch_seconds + 10
    _then_good(sandbox)


def test_a_frame_larger_than_the_pipe_is_refused(sandbox):
    outcomes, _ = _ask(sandbox, "frame_beyond_the_pipe", ONE * 3)
    assert outcomes == [("crash", f"frame_beyond_the_pipe crashed: {OUT_OF_TURN}")]
    _then_good(sandbox)


def test_a_sandbox_that_never_reads_again_times_out_the_next_large_request(sandbox):
    [(kind, _)] = _ask(sandbox, "stop_reading")[0]
    assert kind == "ok"
    outcomes, seconds = _ask(sandbox, "good", BIG)
    assert outcomes[0][0] == "timeout" and seconds < LIMITS.batch_seconds + 10
    _then_good(sandbox)


def test_a_forged_reply_with_the_right_number_is_found_at_the_next_request(sandbox):
    """A forger who copies the worker's numbering only replaces its own answer (it could have
    returned that value anyway); the worker's real reply then arrives out of turn, and the
    next exchange ends that process instead of reading a stale reply as its own (whether that
    reply is already waiting when the request is written, or arrives after)."""
    [(kind, answer)] = _ask(sandbox, "forge_with_the_right_seq")[0]
    assert kind == "ok" and answer.tolist() == [5.0]
    outcomes, _ = _ask(sandbox, "good")
    assert outcomes == [("crash", f"good crashed: {OUT_OF_TURN}")]
    _then_good(sandbox)


def test_a_frame_longer_than_the_cap_ends_that_process_not_the_grading(sandbox):
    outcomes, _ = _ask(sandbox, "oversize_header")
    assert outcomes[0][0] == "crash" and "exceeds the" in outcomes[0][1]
    _then_good(sandbox)


def test_a_number_too_large_for_a_float_is_an_unusable_answer(sandbox):
    [(kind, message)] = _ask(sandbox, "huge_integer")[0]
    assert kind == "error" and "too large for a float" in message


def test_ticking_again_cannot_keep_a_call_alive_past_its_limit(sandbox):
    """Each tick must name the next call: a second tick for call 0 ends the process at once,
    instead of granting another call's worth of time."""
    outcomes, seconds = _ask(sandbox, "tick_keepalive", ONE * 2)
    assert outcomes == [("crash", f"tick_keepalive crashed: {OUT_OF_TURN}")]
    assert seconds < 5.5, "ticking kept the call alive for its 6 s"
    _then_good(sandbox)
