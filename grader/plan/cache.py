"""A disk cache of the generated cases, so that a run does not pay for Hypothesis's generation
(about 10 s for 21 x 100 cases) every time. Only the *inputs* are stored, never the expected
answers, which are recomputed from the reference in milliseconds. The key covers everything
the cases depend on: seed, count, the versions of Hypothesis, numpy and the grader, and the
source of the assignment's package and of the generic strategies. Any problem with the cache
falls back to generating."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import hypothesis
import numpy as np

from grader import __version__
from grader.model.assignment import Assignment

ENV_VARIABLE = "GRADER_CACHE"
FORMAT = 3
GRADER = Path(__file__).resolve().parent.parent
SOURCES = ("assignments/strategies.py", "model/exercise.py", "model/assignment.py", "plan/cases.py")
"""The generic sources the cases depend on, beside the assignment's own package."""


def cache_dir() -> Path:
    if os.environ.get(ENV_VARIABLE):
        return Path(os.environ[ENV_VARIABLE])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ml-grader"


def cache_key(assignment: Assignment, seed: int, count: int) -> str:
    digest = hashlib.sha256()
    for part in (FORMAT, assignment.id, seed, count, hypothesis.__version__, np.__version__, __version__):
        digest.update(repr(part).encode())
    sources = [GRADER / name for name in SOURCES] + sorted(assignment.package.rglob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _encode(value):
    if isinstance(value, np.ndarray):
        return {"shape": list(value.shape), "v": [float(v) for v in value.ravel()]}
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("boolean case values are not cached")
    if isinstance(value, (int, np.integer)):
        return {"int": int(value)}
    return {"float": float(value)}


def _decode(value):
    if "shape" in value:
        return np.array(value["v"], dtype=np.float64).reshape(value["shape"])
    return int(value["int"]) if "int" in value else float(value["float"])


def load(assignment: Assignment, seed: int, count: int) -> dict[str, list[tuple[dict, int]]] | None:
    """Every exercise's cases with their origins, or None when the cache does not hold them."""
    path = cache_dir() / f"cases-{cache_key(assignment, seed, count)}.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: [({k: _decode(v) for k, v in case.items()}, int(origin)) for case, origin in entries]
            for name, entries in document["cases"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(assignment: Assignment, seed: int, count: int, drawn: dict[str, list[tuple[dict, int]]]) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        document = {
            "format": FORMAT,
            "cases": {
                name: [[{k: _encode(v) for k, v in case.items()}, origin] for case, origin in entries]
                for name, entries in drawn.items()
            },
        }
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out)
        os.replace(temporary, folder / f"cases-{cache_key(assignment, seed, count)}.json")
    except (OSError, TypeError):
        pass
