"""`grader check`: the student's self-check, run on a file with the student's code inside the
sandbox. The checks (grader/student/selfcheck.py, the same file the notebooks import) run
here and call the student's functions through proxies, one sandbox call each."""

from __future__ import annotations

from pathlib import Path

from grader.notebooks import UnreadableSubmission, read_unit
from grader.registry import BY_NAME, EXERCISES
from grader.sandbox import SandboxSession
from grader.sandbox.proxy import proxy
from grader.student import selfcheck


def run_check(path: Path) -> int:
    try:
        unit = read_unit(path)
    except UnreadableSubmission as exc:
        print(f"Cannot check {exc}")
        return 1
    names = [e.name for e in EXERCISES]
    with SandboxSession([unit], None, names) as session:
        report = session.load()
        if report.failure:
            print(f"Cannot check {path}: {report.failure}")
            return 1
        for where, problem in report.cell_errors:
            print(f"Note: {where} raised {problem}")
        functions = {name: proxy(session, BY_NAME[name]) for name in names if name in report.defined}
        # A file holding one notebook's functions is checked on that notebook's functions only.
        started = {BY_NAME[name].notebook for name in functions} or {e.notebook for e in EXERCISES}
        names = [name for name in names if BY_NAME[name].notebook in started]
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
        "cases (sizes of 1, extreme values): passing here is a good sign, not a guarantee."
    )
    return 0
