"""Shrinks shared through the case cache (grader/plan/shrinks.py): a grader with empty probe
trees (another worker, a later run) walks the stored shrinks instead of shrinking again and
gives exactly what a fresh shrink gives; a damaged stored shrink is ignored and rewritten; a
case comes back from storage bit for bit or is not stored."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import numpy as np
import pytest

from conftest import SUBMISSIONS, find, mistake_source
from grader.core.grade import Grader
from grader.core.options import Options
from grader.judge import shrink
from grader.judge.probe_tree import ProbeTree, same_case
from grader.plan import cache
from grader.plan.shrinks import decode_path, encode_path

MISTAKES = ("dE_dyhat_missing_two", "eta_range_monotone_bound")


def _like_a_new_process(grader: Grader, options: Options) -> Grader:
    """The same plan, with empty probe trees and no stores opened yet."""
    other = grader.with_options(options)
    empty = {key: ProbeTree() for key in grader.explainer.trees}
    other.explainer = replace(other.explainer, trees=empty, stores={})
    return other


def _grade_all(grader: Grader, folder) -> dict:
    results = {}
    for name in MISTAKES:
        path = folder / name / f"{name}.py"
        path.parent.mkdir(parents=True)
        path.write_text(mistake_source(SUBMISSIONS / "mistakes" / f"{name}.py"))
        [submission] = find(path)
        results[name] = grader.grade(submission).exercises
    return results


@pytest.fixture
def shrinks_made(monkeypatch):
    made: list[str] = []
    real = shrink._shrink
    monkeypatch.setattr(shrink, "_shrink", lambda *args: made.append(args[0].name) or real(*args))
    return made


def test_stored_shrinks_are_walked_by_a_new_grader_with_the_same_results(
    grader, tmp_path, monkeypatch, shrinks_made
):
    monkeypatch.setenv(cache.ENV_VARIABLE, str(tmp_path / "cache"))
    fresh = _grade_all(grader.with_options(Options(shared_shrinks=False)), tmp_path / "fresh")
    shrinks_made.clear()
    first = _grade_all(_like_a_new_process(grader, Options()), tmp_path / "first")
    assert first == fresh and shrinks_made, "the first grader shrinks afresh"
    stored = sorted((tmp_path / "cache" / "shrinks").glob("*/*.json"))
    assert len(stored) >= len(MISTAKES)

    shrinks_made.clear()
    again = _grade_all(_like_a_new_process(grader, Options()), tmp_path / "again")
    assert again == fresh
    assert shrinks_made == [], "a stored shrink was made again instead of walked"

    shrinks_made.clear()
    bypass = _grade_all(_like_a_new_process(grader, Options(use_cache=False)), tmp_path / "bypass")
    assert bypass == fresh and shrinks_made, "without the cache nothing stored is read"


def test_a_damaged_stored_shrink_is_ignored_and_rewritten(grader, tmp_path, monkeypatch, shrinks_made):
    monkeypatch.setenv(cache.ENV_VARIABLE, str(tmp_path / "cache"))
    fresh = _grade_all(_like_a_new_process(grader, Options()), tmp_path / "fresh")
    stored = sorted((tmp_path / "cache" / "shrinks").glob("*/*.json"))
    originals = {path: path.read_bytes() for path in stored}
    for path, data in originals.items():  # still valid JSON, but it ends on the first failure seen
        document = json.loads(data)
        document["result"] = next(i for i, step in enumerate(document["path"]) if step["wrong"])
        path.write_bytes(json.dumps(document, sort_keys=True).encode())
    shrinks_made.clear()
    again = _grade_all(_like_a_new_process(grader, Options()), tmp_path / "again")
    assert again == fresh and shrinks_made, "damaged paths must not be walked"
    for path, data in originals.items():
        assert path.read_bytes() == data, "the fresh shrink rewrites its path"
        assert hashlib.sha256(data).hexdigest()[:32] == path.stem


def test_cases_come_back_bit_for_bit_or_are_not_stored():
    case = {"x": np.array([[-0.0, np.nan], [np.inf, 1e-310]]), "n": np.arange(3), "k": 2, "t": -0.0}
    data = encode_path([(case, True), (case, False)], 0)
    assert data is not None
    [(back, wrong), _], result = decode_path(data)
    assert same_case(back, case) and wrong is True and result == 0
    assert encode_path([({"flag": True}, True)], 0) is None
    assert encode_path([({"x": np.float32(1.0)}, True)], 0) is None
    with pytest.raises(ValueError):
        decode_path(data.replace(b'"result": 0', b'"result": 1'))  # the answer must be a failure
