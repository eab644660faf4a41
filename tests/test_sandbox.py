"""The sandbox session: answers come back as numbers, hangs and crashes cost only the function
that caused them, and the process is restarted for the rest."""

import numpy as np

from grader.model.exercise import Returns
from grader.model.unit import Unit
from grader.run.runner import Call
from grader.run.sandbox import Limits, SandboxSession

FAST = Limits(call_seconds=0.5, batch_seconds=3, cell_seconds=1, load_seconds=3)

SOURCE = """
import numpy as np, os, sys
def good(z): return np.asarray(z) * 2
def hangs(z):
    while True: pass
def dies(z): os._exit(7)
def raises(z): raise ValueError("nope")
def complex_(z): return np.asarray(z) * 1j
def ragged(z): return [[1.0], [1.0, 2.0]]
def gen(z): return (v for v in z)
def none(z): return None
def text(z): return "1.0"
def pair(z): return (np.asarray(z), 1.0, [2.0])
"""


def session(source=SOURCE, limits=FAST):
    return SandboxSession(
        [Unit("s.py", (source,), False)],
        {},
        ["good", "hangs", "dies", "raises", "complex_", "ragged", "gen", "none", "text", "pair"],
        limits,
    )


def test_functions_found_and_called_in_a_batch():
    with session() as s:
        report = s.load()
        assert report.failure is None and "good" in report.defined
        [first, second] = s.ask(Call("good", Returns.ARRAY, 0), [(np.array([1.0, 2.0]),), (np.array([3.0]),)])
        assert first[0] == "ok" and np.array_equal(first[1], [2.0, 4.0]) and second[1].shape == (1,)


def test_hang_and_crash_cost_only_their_own_call_and_the_process_restarts():
    with session() as s:
        s.load()
        assert s.ask(Call("hangs", Returns.ARRAY, 0), [(np.ones(1),)] * 3)[0][0] == "timeout"
        crash = s.ask(Call("dies", Returns.ARRAY, 0), [(np.ones(1),)])
        assert crash[0][0] == "crash" and "exited with code 7" in crash[0][1]
        assert s.ask(Call("good", Returns.ARRAY, 0), [(np.ones(1),)])[0][0] == "ok"
        assert s.restarts >= 1


def test_unusable_answers_become_errors_not_values():
    with session() as s:
        s.load()
        for name in ("raises", "complex_", "ragged", "gen", "none", "text"):
            [outcome] = s.ask(Call(name, Returns.ARRAY, 0), [(np.ones(2),)])
            assert outcome[0] == "error", (name, outcome)
        [pair] = s.ask(Call("pair", Returns.TUPLE, 3), [(np.ones(2),)])
        assert pair[0] == "ok" and pair[1][1].shape == ()


def test_cells_run_like_a_kernel_magics_ignored_errors_do_not_stop_later_cells():
    cells = (
        "%matplotlib inline\n!ls\nimport numpy as np",
        "1/0",
        "%%bash\necho hi",
        "def good(z):\n    return z",
    )
    with SandboxSession([Unit("nb.ipynb", cells, True)], {}, ["good"], FAST) as s:
        report = s.load()
        assert "good" in report.defined
        assert [where for where, _ in report.cell_errors] == ["nb.ipynb cell 2"]


def test_a_hang_at_import_costs_that_cell_only_with_a_reason():
    with SandboxSession(
        [Unit("h.py", ("while True: pass",), False)],
        {},
        ["good"],
        Limits(cell_seconds=0.5, load_seconds=1, batch_seconds=1),
    ) as s:
        report = s.load()
        assert report.failure is None and report.cell_errors and "did not finish" in report.cell_errors[0][1]


def test_environment_is_scrubbed(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "secret-token")
    source = "import os\ndef good(z):\n    return [float(len(os.environ.get('GITHUB_TOKEN', '')))]"
    with SandboxSession([Unit("e.py", (source,), False)], {}, ["good"], FAST) as s:
        s.load()
        [(kind, answer)] = s.ask(Call("good", Returns.ARRAY, 0), [(np.ones(1),)])
        assert kind == "ok" and answer[0] == 0.0
