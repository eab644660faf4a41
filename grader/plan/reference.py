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


CHECKOUT = Path(__file__).resolve().parent.parent.parent


def default_solutions_dir() -> Path | None:
    """$GRADER_SOLUTIONS, else the solutions/ of the source checkout the grader runs from. Never
    the current folder: a `solutions/` inside a tree being graded is a student's, and would be
    imported into the grader's own process."""
    if os.environ.get(ENV_VARIABLE):
        return Path(os.environ[ENV_VARIABLE])
    checkout = CHECKOUT / "pyproject.toml"
    if checkout.is_file() and 'name = "ml-grader"' in checkout.read_text(encoding="utf-8"):
        folder = CHECKOUT / "solutions"
        return folder if folder.is_dir() else None
    return None


def reference_files(assignment: Assignment, folder: Path) -> list[Path]:
    return [Path(folder) / f"{notebook}.py" for notebook in assignment.notebook_names]


def reference_sources(assignment: Assignment, folder: Path) -> tuple[str, dict[Path, bytes]]:
    """(digest, path -> bytes) of the assignment's reference modules in `folder`, in notebook
    order: what a result names (Reference.digest) and what the service publishes."""
    digest = hashlib.sha256()
    sources = {}
    for path in reference_files(assignment, folder):
        if not path.is_file():
            raise ReferenceNotFound(f"{path}: reference module missing")
        source = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + source + b"\0")
        sources[path] = source
    return digest.hexdigest(), sources


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
    digest, sources = reference_sources(assignment, Path(folder))
    for path in sources:
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
    return Reference(assignment.id, functions, Path(folder), digest)
