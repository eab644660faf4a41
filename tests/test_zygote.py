"""The zygote's life (grader/run/sandbox/zygote.py): replaced when it dies and after
CHILDREN_PER_ZYGOTE children, an old one closed only once its last child is gone, and fresh
processes when it is turned off."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from grader.model.exercise import Returns
from grader.model.unit import Unit
from grader.run.runner import Call
from grader.run.sandbox import SandboxSession, zygote

SOURCE = "import numpy as np\ndef f(z):\n    return np.asarray(z) + 1\n"


def _session() -> SandboxSession:
    return SandboxSession([Unit("s.py", (SOURCE,), False)], {}, ["f"])


def _graded(session: SandboxSession) -> dict:
    report = session.load()
    assert report.failure is None
    [(kind, answer)] = session.ask(Call("f", Returns.ARRAY), [(np.ones(2),)])
    assert kind == "ok" and answer.tolist() == [2.0, 2.0]
    return report.layers


@pytest.fixture(autouse=True)
def _own_zygote(monkeypatch):
    monkeypatch.delenv("GRADER_ZYGOTE", raising=False)
    zygote.close_all()
    yield
    zygote.close_all()


def test_a_zygote_that_dies_is_replaced():
    with _session() as s:
        assert _graded(s).get("zygote")
    first = zygote.current()
    assert first is not None
    os.killpg(first.popen.pid, signal.SIGKILL)
    first.popen.wait()
    with _session() as s:
        assert _graded(s).get("zygote")
    assert zygote.current() is not first


def test_a_zygote_is_replaced_after_its_children_and_closed_after_the_last(monkeypatch):
    monkeypatch.setattr(zygote, "CHILDREN_PER_ZYGOTE", 2)
    with _session() as a:
        _graded(a)
        first = zygote.current()
        with _session() as b:
            _graded(b)
        assert first is not None and first.forked == 2
        with _session() as c:  # the third child comes from a new zygote, `a` still runs
            assert _graded(c).get("zygote")
        assert zygote.current() is not first
        assert first.popen.poll() is None, "closed while its child still served a student"
        _graded(a)
    assert first.popen.wait(10) is not None


def test_turned_off_every_submission_gets_a_fresh_process(monkeypatch):
    monkeypatch.setenv("GRADER_ZYGOTE", "0")
    with _session() as s:
        layers = _graded(s)
    assert "zygote" not in layers and layers.get("seccomp") and layers.get("landlock")
    assert not zygote.state()[0]
