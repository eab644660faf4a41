"""Finding the smallest failing case with Hypothesis's shrinker. The same seed and strategy that
made the plan's cases replay them until one fails, then Hypothesis shrinks it; each probe is
one call into the student's sandbox.

A shrink is a deterministic function of the probes' verdicts (fail or not): with a fixed seed,
Hypothesis's next probe depends only on what the earlier ones answered. So the probes of every
shrink of an exercise form one decision tree (grader/probe_tree.py), and a later submission
walks it: each node's case goes to *its* sandbox, *its* verdict picks the branch, and a leaf
gives exactly the case a fresh shrink would have found, without paying for Hypothesis. Where a
submission leaves the tree, Hypothesis takes over, served the probes already made, so the
student's code sees exactly the calls a fresh shrink makes, in the same order."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from hypothesis import Phase, given, seed
from hypothesis.errors import HypothesisException
from hypothesis.internal.conjecture import engine as _engine
from hypothesis.strategies import SearchStrategy

from grader.judge.checks import CaseCheck, Expected, check_outcome
from grader.judge.probe_tree import Probe, ProbeTree, same_case
from grader.model.exercise import Case, Exercise
from grader.plan.cases import evaluate, hypothesis_settings
from grader.run.runner import Call, Runner

SHRINK_BUDGET = 150
"""Sandbox calls one shrink may make. Past it, every candidate reports the smallest failure
found so far, and Hypothesis stops after MAX_SHRINKS accepted steps: a deterministic budget
(a count, never a clock), so the same submission always gets the same smallest case."""
MAX_SHRINKS = 80


@contextlib.contextmanager
def _shrink_limit():
    """Hypothesis caps successful shrinks at engine.MAX_SHRINKS (500); ours is lower."""
    saved = getattr(_engine, "MAX_SHRINKS", None)
    _engine.MAX_SHRINKS = MAX_SHRINKS
    try:
        yield
    finally:
        if saved is not None:
            _engine.MAX_SHRINKS = saved


class _Failure(Exception):
    def __init__(self, index: int) -> None:
        super().__init__("failing case")
        self.index = index


def smallest_failure(
    exercise: Exercise,
    reference: Callable,
    runner: Runner,
    assignment_seed: int,
    count: int,
    tree: ProbeTree | None = None,
    inputs: SearchStrategy | None = None,
    saved: Callable[[ProbeTree, list[tuple[Probe, bool]], int | None], None] | None = None,
) -> tuple[Case, CaseCheck] | None:
    """The shrunk failing case and its verdict, or None if no wrong answer shows up again.
    `inputs` is the strategy that drew the failing cases (the exercise's own by default, or
    one of its regions, drawn `count` times). With a `tree`, known paths are walked instead of
    shrunk again, and new ones are added (and given to `saved`, which shares them)."""

    call = Call.of(exercise)

    def run(probe: Probe) -> CaseCheck:
        outcome = runner.ask(call, [exercise.call_args(probe.case)])[0]
        if probe.judged is None:
            return check_outcome(exercise, probe.expected, outcome, probe.unit)
        return probe.judged.check([outcome])[0]

    walked: list[tuple[Probe, CaseCheck]] = []
    if tree is not None:
        end = tree.walk(lambda probe: _run_and_keep(probe, walked, run).wrong)
        if end is not None:
            return None if end.result is None else (walked[end.result][0].case, walked[end.result][1])
    strategy = exercise.inputs if inputs is None else inputs
    path, result = _shrink(exercise, strategy, reference, assignment_seed, count, walked, run)
    if tree is not None:
        fresh = [(probe, check.wrong) for probe, check in path]
        tree.insert(fresh, result)
        if saved is not None:
            saved(tree, fresh, result)
    return None if result is None else (path[result][0].case, path[result][1])


def _run_and_keep(probe: Probe, walked: list, run: Callable[[Probe], CaseCheck]) -> CaseCheck:
    check = run(probe)
    walked.append((probe, check))
    return check


def _shrink(
    exercise: Exercise,
    inputs: SearchStrategy,
    reference: Callable,
    assignment_seed: int,
    count: int,
    walked: list[tuple[Probe, CaseCheck]],
    run: Callable[[Probe], CaseCheck],
) -> tuple[list[tuple[Probe, CaseCheck]], int | None]:
    """Hypothesis's shrink; the first probes are served from `walked` when they are the same
    cases (they are: the walk followed the same verdicts). Returns the probes made and the
    index of the one whose failure is the answer (None when no failure holds up)."""
    path: list[tuple[Probe, CaseCheck]] = []
    best: list[int] = []

    @seed(assignment_seed)
    @hypothesis_settings(count, [Phase.generate, Phase.shrink])
    @given(inputs)
    def probe(case: Case) -> None:
        index = len(path)
        if index >= SHRINK_BUDGET:
            raise _Failure(best[-1])
        if index < len(walked) and same_case(walked[index][0].case, case):
            path.append(walked[index])
        else:
            expected, unit = evaluate(exercise, reference, case), exercise.unit_for(case)
            step = Probe(case, expected, unit, Expected(exercise, [expected], [unit]))
            path.append((step, run(step)))
        if path[-1][1].wrong:
            best.append(index)
            raise _Failure(index)

    try:
        with _shrink_limit():
            probe()
    except _Failure as failure:
        return path, failure.index
    except HypothesisException:  # e.g. Flaky: the failure did not show up again
        return path, None
    return path, None
