"""The raw float64 part of the channel (grader/run/sandbox/wire.py): an answer is what the
function returned when it returned, and numbers that do not match their shapes place no answer."""

from __future__ import annotations

import numpy as np

from grader.model.exercise import Returns
from grader.model.unit import Unit
from grader.run.runner import Call
from grader.run.sandbox import Limits, SandboxSession

LIMITS = Limits(call_seconds=1, call_grace_seconds=0.5, batch_seconds=5, cell_seconds=3, load_seconds=5)

SOURCE = r'''
import json, os, struct, sys
import numpy as np

_buffer = np.zeros(2)

def reuses_its_buffer(z):
    """Returns the same array every call, changed in place: each answer is its value then."""
    _buffer[:] = z
    return _buffer

def doubles_in_place(z):
    z *= 2
    return z

def forge_numbers_short(z):
    """A reply numbered right whose shapes ask for more numbers than it sends."""
    seq = sys.modules["__main__"].REQUESTS[0] - 1
    body = json.dumps({"outcomes": [{"ok": {"shape": [3]}}], "printed": 0, "seq": seq, "bytes": 8})
    for fd in range(3, 41):
        try:
            os.write(fd, struct.pack(">Q", len(body)) + body.encode() + struct.pack("<d", 1.0))
        except OSError:
            pass
    return np.asarray(z)
'''
NAMES = ["reuses_its_buffer", "doubles_in_place", "forge_numbers_short"]


def _session() -> SandboxSession:
    return SandboxSession([Unit("s.py", (SOURCE,), False)], {}, NAMES, LIMITS)


def test_each_answer_is_the_value_returned_at_that_call():
    cases = [(np.array([1.0, 2.0]),), (np.array([3.0, 4.0]),), (np.array([5.0, 6.0]),)]
    with _session() as s:
        assert s.load().failure is None
        outcomes = s.ask(Call("reuses_its_buffer", Returns.ARRAY), cases)
        assert [(kind, answer.tolist()) for kind, answer in outcomes] == [
            ("ok", [1.0, 2.0]),
            ("ok", [3.0, 4.0]),
            ("ok", [5.0, 6.0]),
        ]


def test_a_function_that_changes_its_argument_changes_only_its_own_copy():
    same = np.array([1.0, 2.0])
    with _session() as s:
        assert s.load().failure is None
        outcomes = s.ask(Call("doubles_in_place", Returns.ARRAY), [(same,), (same,)])
        assert [answer.tolist() for _, answer in outcomes] == [[2.0, 4.0], [2.0, 4.0]]
    assert same.tolist() == [1.0, 2.0]


def test_shapes_asking_for_numbers_never_sent_place_no_answer():
    with _session() as s:
        assert s.load().failure is None
        outcomes = s.ask(Call("forge_numbers_short", Returns.ARRAY), [(np.ones(1),)])
        assert outcomes == [("crash", "forge_numbers_short: malformed reply from the sandbox")]
