"""Loading the instructor's reference solution. It lives in solutions/, outside the installed
package, so a student who installs the grader to self-check never receives it."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

from grader.registry import EXERCISES, NOTEBOOKS

ENV_VARIABLE = "GRADER_SOLUTIONS"


class ReferenceNotFound(Exception):
    pass


def default_solutions_dir() -> Path | None:
    """$GRADER_SOLUTIONS, else ./solutions, else the solutions/ beside a source checkout."""
    candidates = []
    if os.environ.get(ENV_VARIABLE):
        candidates.append(Path(os.environ[ENV_VARIABLE]))
    candidates += [Path.cwd() / "solutions", Path(__file__).resolve().parent.parent / "solutions"]
    return next((c for c in candidates if (c / f"{NOTEBOOKS[0]}.py").is_file()), None)


def load_reference(solutions_dir: Path | None = None) -> dict[str, Callable]:
    """The reference function of every registered exercise, by name."""
    folder = solutions_dir or default_solutions_dir()
    if folder is None:
        raise ReferenceNotFound(
            f"no reference solution found: pass --solutions DIR or set {ENV_VARIABLE} "
            "to the folder holding backprop.py and gradient_descent.py"
        )
    modules = {}
    for notebook in NOTEBOOKS:
        path = Path(folder) / f"{notebook}.py"
        if not path.is_file():
            raise ReferenceNotFound(f"{path}: reference module missing")
        spec = importlib.util.spec_from_file_location(f"_grader_reference_{notebook}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[notebook] = module
    functions = {}
    for exercise in EXERCISES:
        function = getattr(modules[exercise.notebook], exercise.name, None)
        if not callable(function):
            raise ReferenceNotFound(f"{folder}/{exercise.notebook}.py does not define {exercise.name}")
        functions[exercise.name] = function
    return functions
