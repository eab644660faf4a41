"""`grader check`: the student's self-check, run on a file with the student's code inside the
sandbox. The checks (the assignment's selfcheck.py, the same file the notebooks import) run
here and call the student's functions through proxies, one sandbox call each."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from grader import assignments
from grader.intake.notebooks import UnreadableSubmission, read_unit
from grader.model.assignment import Assignment
from grader.run.proxy import proxy
from grader.run.sandbox import SandboxSession


def load_selfcheck(assignment: Assignment) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_selfcheck_{assignment.id}", assignment.selfcheck)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_check(path: Path, assignment_id: str | None = None) -> int:
    try:
        unit = read_unit(path)
    except UnreadableSubmission as exc:
        print(f"Cannot check {exc}")
        return 1
    candidates = (
        [assignments.get(assignment_id)] if assignment_id else [assignments.get(i) for i in assignments.ids()]
    )
    names = sorted({e.name for a in candidates for e in a.exercises})
    with SandboxSession([unit], {}, names) as session:
        report = session.load()
        if report.failure:
            print(f"Cannot check {path}: {report.failure}")
            return 1
        for where, problem in report.cell_errors:
            print(f"Note: {where} raised {problem}")
        # The assignment whose functions the file defines; a file holding one notebook's
        # functions is checked on that notebook's functions only.
        assignment = max(candidates, key=lambda a: len(report.defined & set(a.by_name)))
        selfcheck = load_selfcheck(assignment)
        defined = [e.name for e in assignment.exercises if e.name in report.defined]
        functions = {name: proxy(session, assignment.by_name[name]) for name in defined}
        started = {assignment.by_name[name].notebook for name in functions} or set(assignment.notebook_names)
        names = [e.name for e in assignment.exercises if e.notebook in started]
        passed = 0
        for name in names:
            if name not in functions:
                print(f"--   {name}: not defined yet")
                continue
            ok, message = selfcheck.run(name, functions[name], functions)
            if "NotImplementedError" in message:
                message = "not implemented yet"
            passed += ok
            print(("OK   " if ok else "FIX  ") + f"{name}: {message}")
    print(
        f"\n{passed} of {len(names)} functions pass the self-check. The grader tests many more "
        "cases (sizes of 1, extreme curvatures and values): passing here is a good sign, not a guarantee."
    )
    return 0
