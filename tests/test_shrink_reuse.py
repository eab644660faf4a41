"""Walking earlier submissions' shrinks (grader/probe_tree.py) gives exactly what a fresh
Hypothesis shrink gives, for ordinary and for stateful student code, and it does skip
Hypothesis; the vectorised tolerance agrees with one pair at a time."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SUBMISSIONS, find, mistake_source, reference_source
from grader.core.grade import Grader
from grader.core.options import Options
from grader.judge import shrink
from grader.judge.probe_tree import End, Probe, ProbeTree, same_case
from grader.numerics.tolerance import ALLOWANCE, FLOOR, RTOL, relative_error, relative_errors

MISTAKES = ("dE_dyhat_missing_two", "dE_dW1_squeeze", "eta_range_monotone_bound", "sigmoid_sign_flip")

STATEFUL = """

_calls = [0]


def dE_dyhat(y_hat, y):
    # Wrong by a factor that counts the calls made so far, so the answer shown for the smallest
    # failing case tells how many calls the grader made (an extra or a missing one would show),
    # and right once, on the shrink's third probe (the test puts the batch's size + 3 here), so
    # it leaves every other student's path.
    _calls[0] += 1
    return (2.0 if _calls[0] == 103 else 2.0 + _calls[0]) * (y_hat - y)
"""


def _grade(grader: Grader, folder, name: str, source: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(source)
    [submission] = find(path)
    return grader.grade(submission).exercises


@pytest.fixture(scope="module")
def fresh_and_shared(grader):
    """Two graders on the same plan: one never reuses a shrink, one starts with empty trees."""
    shared = grader.with_options(Options())
    shared.explainer.trees = {key: ProbeTree() for key in grader.explainer.trees}
    return grader.with_options(Options(shared_shrinks=False)), shared


def test_walked_shrinks_equal_fresh_shrinks_and_skip_hypothesis(fresh_and_shared, tmp_path, monkeypatch):
    fresh, shared = fresh_and_shared
    sources = {name: mistake_source(SUBMISSIONS / "mistakes" / f"{name}.py") for name in MISTAKES}
    expected = {name: _grade(fresh, tmp_path / "fresh", name, text) for name, text in sources.items()}
    first = {name: _grade(shared, tmp_path / "first", name, text) for name, text in sources.items()}
    assert first == expected
    assert all(
        tree.size > 0
        for key, tree in shared.explainer.trees.items()
        if key in {("dE_dyhat", 0), ("eta_range", 0)}
    )

    shrinks = []
    real = shrink._shrink
    monkeypatch.setattr(shrink, "_shrink", lambda *args: shrinks.append(args[0].name) or real(*args))
    again = {name: _grade(shared, tmp_path / "again", name, text) for name, text in sources.items()}
    assert again == expected
    assert shrinks == [], "a repeated mistake was shrunk again instead of walked"
    assert any(
        "Smallest failing case (shrunk by Hypothesis)" in e.feedback for e in again["dE_dyhat_missing_two"]
    )


@pytest.mark.slow  # a long guard; CI runs it (scripts/test.sh -m '')
def test_stateful_code_sees_the_same_calls_walked_or_fresh(fresh_and_shared, tmp_path):
    fresh, shared = fresh_and_shared
    batch = len(fresh.plan["dE_dyhat"].cases)
    source = reference_source() + STATEFUL.replace("103", str(batch + 3))
    alone = _grade(fresh, tmp_path / "fresh", "stateful", source)
    _grade(
        shared,
        tmp_path / "other",
        "plain",
        mistake_source(SUBMISSIONS / "mistakes" / "dE_dyhat_missing_two.py"),
    )
    assert shared.explainer.trees[("dE_dyhat", 0)].size > 0
    walked = _grade(shared, tmp_path / "walked", "stateful", source)
    assert walked == alone
    assert "Smallest failing case (shrunk by Hypothesis)" in {e.id: e for e in walked}["dE_dyhat"].feedback


def _probe(value: float) -> Probe:
    return Probe({"x": np.array([value])}, np.array([0.0]), 0.0)


def test_tree_walks_known_paths_and_stops_where_a_verdict_is_new():
    tree = ProbeTree()
    path = [(_probe(1.0), True), (_probe(0.5), False), (_probe(0.75), True)]
    tree.insert(path, 2)
    verdicts = iter([True, False, True])
    assert tree.walk(lambda probe: next(verdicts)) == End(2)
    seen = []
    assert tree.walk(lambda probe: seen.append(probe.case["x"][0]) or False) is None
    assert seen == [1.0]
    tree.insert([(_probe(1.0), False)], None)
    assert tree.walk(lambda probe: False) == End(None)
    assert tree.size == 3


def test_same_case_is_bit_for_bit():
    assert same_case({"a": np.array([0.0]), "k": 2}, {"a": np.array([0.0]), "k": 2})
    assert not same_case({"a": np.array([0.0])}, {"a": np.array([-0.0])})
    assert not same_case({"a": np.array([1.0])}, {"a": np.array([[1.0]])})
    assert not same_case({"k": 2}, {"k": 2.0})
    assert not same_case({"a": 1.0}, {"b": 1.0})


def test_relative_errors_of_a_batch_equal_one_pair_at_a_time():
    rng = np.random.default_rng(0)
    pairs, units = [], []
    for size in (3, 0, 1, 7, 2, 5, 1, 4):
        expected = rng.normal(size=size) * 10.0 ** rng.integers(-8, 8)
        actual = expected * (1 + rng.normal(size=size) * 10.0 ** rng.integers(-12, -1))
        pairs.append((actual, expected))
        units.append(
            rng.choice([0.0, 0.25, 1.0]) if size % 2 else np.abs(expected) * rng.uniform(1, 10, size)
        )
    pairs.append((np.array([np.nan, 1.0]), np.array([np.nan, 1.0])))
    pairs.append((np.array([np.inf, 1.0]), np.array([1.0, 1.0])))
    pairs.append((np.zeros(3), np.zeros(3)))
    units += [0.0, 0.0, 0.0]
    batch = relative_errors(pairs, units)
    single = [relative_error(a, e, u) for (a, e), u in zip(pairs, units, strict=True)]
    assert (
        batch.tolist() == single == [_by_the_formula(a, e, u) for (a, e), u in zip(pairs, units, strict=True)]
    )
    assert single[-3:] == [0.0, float("inf"), 0.0]
    assert max(single[:8]) > RTOL, "the sample must hold errors the rule rejects"


def _by_the_formula(actual, expected, unit) -> float:
    """grader/numerics/tolerance.py's docstring, entry by entry in plain Python."""
    a, e = [float(v) for v in actual], [float(v) for v in expected]
    if not all(np.isfinite(a + e)):
        same = all(x == y or (np.isnan(x) and np.isnan(y)) for x, y in zip(a, e, strict=True))
        return 0.0 if same else float("inf")
    if not a:
        return 0.0
    terms = [max(abs(float(t)), abs(y)) for t, y in zip(np.broadcast_to(unit, len(e)), e, strict=True)]
    scale = max(terms)
    errors = []
    for x, y, t in zip(a, e, terms, strict=True):
        denominator = max(abs(x) + abs(y), FLOOR * scale)
        difference = max(abs(x - y) - ALLOWANCE * t, 0.0)
        errors.append(difference / denominator if denominator > 0 else 0.0)
    return max(errors)
