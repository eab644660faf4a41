"""Sandboxes forked from one zygote (grader/run/sandbox/zygote.py): nothing a student does can
reach the next student forked from the same zygote, and the zygote holds nothing of anyone's.
Each test grades an honest submission alone, then after one that tries to leave something
behind, and the honest one must see exactly what it saw alone (and what a clean process shows)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from grader.model.exercise import Returns
from grader.model.unit import Unit
from grader.run.runner import Call
from grader.run.sandbox import Limits, SandboxSession, harden, zygote

LIMITS = Limits(call_seconds=2, batch_seconds=10, cell_seconds=5, load_seconds=10)

LEAVER = r"""
import builtins, os, random, signal, sys, types, warnings
import numpy as np

def leave():
    builtins.LEFT_BEHIND = 1.0
    np.LEFT_BEHIND = 1.0
    sys.modules["left_behind"] = types.ModuleType("left_behind")
    sys.modules["numpy.linalg"].norm = lambda *a, **k: 42.0
    np.dot = lambda a, b: 42.0
    np.sum = lambda *a, **k: 42.0
    np.seterr(all="raise")
    np.set_printoptions(precision=1)
    signal.signal(signal.SIGUSR1, lambda *a: None)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    warnings.simplefilter("error")
    sys.setrecursionlimit(90)
    os.environ["LEFT_BEHIND"] = "1"
    os.putenv("LEFT_PUT", "1")
    random.seed(1)
    np.random.seed(1)
    for where in ("left.txt", os.path.join(os.environ.get("TMPDIR", "."), "left_tmp.txt"), "/tmp/left.txt"):
        try:
            with open(where, "w") as handle:
                handle.write("left")
        except OSError:
            pass

leave()

def probe(z):
    leave()
    return np.asarray(z)
"""

HONEST = r'''
import builtins, os, signal, sys, warnings
import numpy as np

def observe(z):
    """One number per thing an earlier student could have left: 0 means clean."""
    defaults = {"divide": "warn", "over": "warn", "under": "ignore", "invalid": "warn"}
    leftovers = [
        hasattr(builtins, "LEFT_BEHIND"),
        hasattr(np, "LEFT_BEHIND"),
        "left_behind" in sys.modules,
        float(np.dot(np.ones(2), np.ones(2))) != 2.0,
        float(np.sum(np.ones(3))) != 3.0,
        float(np.linalg.norm(np.array([3.0, 4.0]))) != 5.0,
        np.geterr() != defaults,
        np.get_printoptions()["precision"] != 8,
        signal.getsignal(signal.SIGUSR1) != signal.SIG_DFL,
        signal.getsignal(signal.SIGTERM) != signal.SIG_DFL,
        any(f[0] == "error" and f[2] is Warning for f in warnings.filters),
        sys.getrecursionlimit() != 1000,
        "LEFT_BEHIND" in os.environ or "LEFT_PUT" in os.environ,
        os.path.exists("left.txt"),
        os.path.exists(os.path.join(os.environ["TMPDIR"], "left_tmp.txt")),
        os.path.exists("/tmp/left.txt"),
        sorted(os.listdir(".")) != ["honest.py"],
    ]
    return np.array([float(x) for x in leftovers])

def environment(z):
    return np.array([float(len(os.environ)), float(os.environ.get("HOME") == os.getcwd())])

def draws(z):
    import random
    return np.array([random.random(), np.random.rand()])
'''

ARRAY = Returns.ARRAY


def _grade(name: str, source: str, functions: list[str]) -> dict:
    files = {name: source.encode()}
    with SandboxSession([Unit(name, (source,), False)], files, functions, LIMITS) as session:
        report = session.load()
        assert report.failure is None and not report.cell_errors, (report.failure, report.cell_errors)
        assert report.layers.get("zygote"), "this test is about children forked from a zygote"
        return {f: session.ask(Call(f, ARRAY), [(np.ones(2),)]) for f in functions}


def _honest() -> dict:
    return _grade("honest.py", HONEST, ["observe", "environment"])


@pytest.fixture(autouse=True)
def _zygote_on(monkeypatch):
    monkeypatch.delenv("GRADER_ZYGOTE", raising=False)
    if not zygote.state()[0] or not harden.namespaces_available():
        pytest.fail(f"no zygote here: {zygote.state()[1]}")


def test_nothing_a_student_leaves_reaches_the_next_one():
    alone = _honest()
    [(kind, clean)] = alone["observe"]
    assert kind == "ok" and clean.tolist() == [0.0] * len(clean), clean
    leaver = _grade("leaver.py", LEAVER, ["probe"])
    assert leaver["probe"][0][0] == "ok"
    after = _honest()
    assert after["observe"][0][0] == "ok"
    assert after["observe"][0][1].tolist() == clean.tolist()
    assert after["environment"][0][1].tolist() == alone["environment"][0][1].tolist()


def test_the_environment_is_the_scrubbed_one_of_a_fresh_worker():
    [(kind, answer)] = _honest()["environment"]
    assert kind == "ok"
    assert answer.tolist() == [float(len(harden.environment(Path("/x")))), 1.0]


def test_random_generators_are_reseeded_in_every_child():
    """As in fresh processes: a student who seeds cannot fix the next student's draws, and two
    children do not share one stream (the zygote's own seeding is not inherited)."""
    _grade("leaver.py", LEAVER, ["probe"])
    first = _grade("draws.py", HONEST, ["draws"])["draws"][0]
    second = _grade("draws.py", HONEST, ["draws"])["draws"][0]
    assert first[0] == second[0] == "ok"
    seeded = [random.Random(1).random(), np.random.RandomState(1).rand()]
    for which in (0, 1):  # Python's random, numpy's global RandomState
        assert first[1][which] != seeded[which] and second[1][which] != seeded[which]
        assert first[1][which] != second[1][which]


def test_the_zygote_holds_nothing_of_the_grader_or_any_student():
    """It imported numpy, the worker's code and pyseccomp, never the grader (plans, references,
    expected values live there); a student's imports happen in the child, not in the zygote."""
    _grade("honest.py", HONEST + "\nimport fractions, decimal\n", ["observe"])
    current = zygote.current()
    assert current is not None
    seen = current.request({"op": "modules"})
    modules = set(seen["modules"])
    assert "numpy" in modules
    assert not {m for m in modules if m.split(".")[0] in ("grader", "solutions", "fractions", "decimal")}
    assert "left_behind" not in modules
    assert not {g for g in seen["globals"] if "reference" in g.lower() or "expected" in g.lower()}
