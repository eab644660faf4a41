"""Loading the instructor's reference solution. It lives in solutions/, outside the installed
package, so a student who installs the grader to self-check never receives it; each notebook of
an assignment has its module, solutions/<notebook>.py."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.model.assignment import Assignment

ENV_VARIABLE = "GRADER_SOLUTIONS"


class ReferenceNotFound(Exception):
    pass


@dataclass(frozen=True)
class Reference:
    """The reference function of every exercise of one assignment, and where it came from."""

    assignment: str
    functions: dict[str, Callable]
    folder: Path
    digest: str
    """sha256 of the reference modules' bytes, in notebook order: results name it, so a
    result graded against another reference is never taken for this one's."""


def default_solutions_dir() -> Path | None:
    """$GRADER_SOLUTIONS, else ./solutions, else the solutions/ beside a source checkout."""
    candidates = []
    if os.environ.get(ENV_VARIABLE):
        candidates.append(Path(os.environ[ENV_VARIABLE]))
    candidates += [Path.cwd() / "solutions", Path(__file__).resolve().parent.parent.parent / "solutions"]
    return next((c for c in candidates if c.is_dir() and any(c.glob("*.py"))), None)


def reference_files(assignment: Assignment, folder: Path) -> list[Path]:
    return [Path(folder) / f"{notebook}.py" for notebook in assignment.notebook_names]


def load_reference(assignment: Assignment, solutions_dir: Path | None = None) -> Reference:
    """The reference function of every exercise of `assignment`, by name."""
    folder = solutions_dir or default_solutions_dir()
    if folder is None:
        names = ", ".join(f"{n}.py" for n in assignment.notebook_names)
        raise ReferenceNotFound(
            f"no reference solution found: pass --solutions DIR or set {ENV_VARIABLE} "
            f"to the folder holding {names}"
        )
    modules = {}
    digest = hashlib.sha256()
    for path in reference_files(assignment, folder):
        if not path.is_file():
            raise ReferenceNotFound(f"{path}: reference module missing")
        source = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + source + b"\0")
        spec = importlib.util.spec_from_file_location(f"_grader_reference_{assignment.id}_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[path.stem] = module
    functions = {}
    for exercise in assignment.exercises:
        function = getattr(modules[exercise.notebook], exercise.name, None)
        if not callable(function):
            raise ReferenceNotFound(f"{folder}/{exercise.notebook}.py does not define {exercise.name}")
        functions[exercise.name] = function
    return Reference(assignment.id, functions, Path(folder), digest.hexdigest())
