"""Shrinks shared across workers and runs: every fresh shrink's probes and verdicts (one path of
an exercise's probe tree, grader/judge/probe_tree.py) are kept beside the case cache, so a
mistake is shrunk once per class, not once per process. Workers of one run, later runs and the
service's workers (which use the same cache folder) all read them.

A path is a deterministic function of what decides it: the seed and the number of cases, the
strategy's source, the grader's, Hypothesis's and numpy's versions (all in the case cache's
key), the reference's digest, the exercise and the strategy (origin); and the verdicts of the
student's code on its probes, which pick the branch. The first five name the folder; the
verdicts are in the path itself. Each path is one JSON file named by the digest of its own
bytes, written atomically (temporary file, then rename): writers never collide, a reader
never sees half a file, and a file whose bytes do not match its name, or that does not parse,
is ignored (the shrink is then made afresh and the file rewritten). Only the cases and
verdicts are stored: expected answers are recomputed from the reference, never read back."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from grader.judge.probe_tree import Probe, ProbeTree, same_case
from grader.model.assignment import Assignment
from grader.model.exercise import Case
from grader.plan import cache

FORMAT = 1
SOURCES = ("judge/shrink.py", "judge/probe_tree.py", "plan/shrinks.py")
"""The shrink's own sources: a change to the budget or the walk makes new folders."""
MAX_FILES = 5_000
"""Paths read per folder at most (a folder holds one per distinct shrink; past this many, the
tree is full anyway: probe_tree.MAX_PROBES)."""


def folder_key(assignment: Assignment, seed: int, count: int, digest: str, exercise: str, origin: int) -> str:
    """What decides an exercise's shrinks besides the student's verdicts."""
    key = hashlib.sha256()
    for part in (FORMAT, cache.cache_key(assignment, seed, count), digest, exercise, origin):
        key.update(repr(part).encode() + b"\0")
    for name in SOURCES:
        key.update((cache.GRADER / name).read_bytes())
    return key.hexdigest()[:32]


def _encode(value) -> dict:
    if type(value) is np.ndarray and value.dtype.kind in "fi":
        return {"dtype": value.dtype.str, "shape": list(value.shape), "v": value.ravel().tolist()}
    if type(value) is float:
        return {"float": value}
    if type(value) is int:
        return {"int": value}
    raise TypeError(f"a case value of type {type(value).__name__} is not stored")


def _decode(value: dict):
    if set(value) == {"dtype", "shape", "v"}:
        dtype = np.dtype(value["dtype"])
        if dtype.kind not in "fi":
            raise ValueError("unexpected dtype")
        return np.array(value["v"], dtype=dtype).reshape([int(d) for d in value["shape"]])
    if set(value) == {"float"}:
        return float(value["float"])
    if set(value) == {"int"} and type(value["int"]) is int:
        return value["int"]
    raise ValueError("malformed case value")


def encode_path(path: list[tuple[Case, bool]], result: int | None) -> bytes | None:
    """One shrink as JSON bytes, or None when a case would not come back bit for bit."""
    try:
        steps = [{"case": {k: _encode(v) for k, v in case.items()}, "wrong": wrong} for case, wrong in path]
        data = json.dumps({"format": FORMAT, "path": steps, "result": result}, sort_keys=True).encode()
        back, back_result = decode_path(data)
    except (TypeError, ValueError):
        return None
    same = back_result == result and all(
        same_case(case, other) and wrong == again
        for (case, wrong), (other, again) in zip(path, back, strict=True)
    )
    return data if same and len(back) == len(path) else None


def decode_path(data: bytes) -> tuple[list[tuple[Case, bool]], int | None]:
    document = json.loads(data.decode("utf-8"))
    if document["format"] != FORMAT:
        raise ValueError("another format")
    path = []
    for step in document["path"]:
        if type(step["wrong"]) is not bool or not isinstance(step["case"], dict):
            raise ValueError("malformed step")
        path.append(({str(k): _decode(v) for k, v in step["case"].items()}, step["wrong"]))
    result = document["result"]
    if result is not None and (type(result) is not int or not 0 <= result < len(path) or not path[result][1]):
        raise ValueError("malformed result")
    return path, result


class ShrinkStore:
    """One exercise's (and strategy's) shared shrinks: a folder of paths."""

    def __init__(self, folder: Path, probe: Callable[[Case], Probe]) -> None:
        self.folder = folder
        self.probe = probe
        """Makes a probe of a stored case: the reference's answer, recomputed."""

    def refresh(self, tree: ProbeTree) -> None:
        """Add to the tree the paths stored since the last look (by other workers or runs)."""
        try:
            names = sorted(entry.name for entry in os.scandir(self.folder) if entry.name.endswith(".json"))
        except OSError:
            return
        for name in names[:MAX_FILES]:
            if name in tree.stored:
                continue
            tree.stored.add(name)
            try:
                data = (self.folder / name).read_bytes()
                if hashlib.sha256(data).hexdigest()[:32] + ".json" != name:
                    continue  # damaged: ignored, and rewritten by the next fresh shrink of it
                path, result = decode_path(data)
            except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
                continue
            if path:
                tree.insert([(self.probe(case), wrong) for case, wrong in path], result)

    def save(self, tree: ProbeTree, path: list[tuple[Probe, bool]], result: int | None) -> None:
        """Keep one fresh shrink, already in `tree` (best effort: a cache that cannot be written
        is no error)."""
        data = encode_path([(probe.case, wrong) for probe, wrong in path], result)
        if data is None:
            return
        name = hashlib.sha256(data).hexdigest()[:32] + ".json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.folder / name)
            tree.stored.add(name)
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def store_for(
    assignment: Assignment,
    seed: int,
    count: int,
    digest: str,
    exercise: str,
    origin: int,
    probe: Callable[[Case], Probe],
) -> ShrinkStore:
    key = folder_key(assignment, seed, count, digest, exercise, origin)
    return ShrinkStore(cache.cache_dir() / "shrinks" / key, probe)
