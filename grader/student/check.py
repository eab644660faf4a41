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


HELPERS = frozenset({"selfcheck.py", "handin.py"})
"""Files released beside the notebooks: the checks themselves, not the student's answers."""


def files_to_check(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The notebooks and .py files named, or found in the folders named (hidden folders, links
    and the released helper files left out), and a problem for each path that gives none."""
    found: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".ipynb", ".py")
                and p.name not in HELPERS
                and not p.is_symlink()
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                problems.append(f"Cannot check {path}: it holds no notebook (.ipynb) or Python file (.py)")
            found.extend(inside)
        else:
            found.append(path)
    return found, problems


def run_check(paths: list[Path], assignment_id: str | None = None) -> int:
    """Self-check each file (a notebook runs alone, as in its own kernel); 1 when a check fails
    or a file cannot be checked, else 0."""
    files, problems = files_to_check(paths)
    for problem in problems:
        print(problem)
    failed = bool(problems)
    for index, path in enumerate(files):
        if len(files) > 1:
            print(("\n" if index else "") + f"== {path}")
        failed |= not check_file(path, assignment_id)
    return 1 if failed else 0


def check_file(path: Path, assignment_id: str | None = None) -> bool:
    """Print the self-check of one file; True when every check it ran passed."""
    try:
        unit = read_unit(path)
    except UnreadableSubmission as exc:
        print(f"Cannot check {exc}")
        return False
    candidates = (
        [assignments.get(assignment_id)] if assignment_id else [assignments.get(i) for i in assignments.ids()]
    )
    names = sorted({e.name for a in candidates for e in a.exercises})
    failures = 0
    with SandboxSession([unit], {}, names) as session:
        report = session.load()
        if report.failure:
            print(f"Cannot check {path}: {report.failure}")
            return False
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
            failures += not ok
            print(("OK   " if ok else "FIX  ") + f"{name}: {message}")
    print(
        f"\n{passed} of {len(names)} functions pass the self-check. The grader tests many more "
        "cases (sizes of 1, extreme curvatures and values): passing here is a good sign, not a guarantee."
    )
    return failures == 0
