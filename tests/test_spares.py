"""Sandboxes started one submission ahead (grader/sandbox/spares.py): each serves one student
only, nothing of one student reaches the next, and nothing is left behind."""

from __future__ import annotations

import tempfile

from conftest import by_id, find, reference_source
from grader.core.batch import grade_all
from grader.run.sandbox import process

LEAVES_STATE = """

import builtins
builtins.LEFT_BY_EARLIER_STUDENT = 3.0
"""

READS_STATE = """

import builtins
_reference_sigmoid = sigmoid


def sigmoid(z):
    # Right only if no earlier student's state is visible in this process.
    return _reference_sigmoid(z) * getattr(builtins, "LEFT_BY_EARLIER_STUDENT", 1.0)
"""


def test_each_student_gets_a_process_of_its_own_started_ahead(core, tmp_path, monkeypatch):
    base = reference_source()
    for name, extra in (("a_leaves", LEAVES_STATE), ("b_reads", READS_STATE), ("c_reads", READS_STATE)):
        (tmp_path / f"{name}.py").write_text(base + extra)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    started = []
    real_init = process.WorkerProcess.__init__
    monkeypatch.setattr(
        process.WorkerProcess,
        "__init__",
        lambda self, workdir: started.append(workdir) or real_init(self, workdir),
    )

    results = list(grade_all(core, find(tmp_path), jobs=1))

    assert [r.student for r in results] == ["a_leaves", "b_reads", "c_reads"]
    for result in results[1:]:
        assert by_id(result)["sigmoid"].status == "passed", "a process was shared between students"
    assert len(started) == 4, "three processes and one started ahead (never used), none reused"
    assert len({str(w) for w in started}) == 4
    assert list(scratch.iterdir()) == [], "a sandbox folder or a spare was left behind"
