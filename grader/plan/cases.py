"""The grading plan: for each exercise, its Hypothesis-generated cases with the reference's
answers, made once per run from the assignment seed and shared by every submission.

Hypothesis is driven with a fixed seed, no example database and the generate phase only, so
the same seed always gives the same cases. The same seed and strategy later drive the shrink
of a failure (grader/judge/shrink.py)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.internal.conjecture import providers as _providers

from grader.model.assignment import Assignment
from grader.model.exercise import Answer, Case, Exercise, Returns

DEFAULT_SEED = 20261127
DEFAULT_CASES = 100


def _no_local_constants() -> None:
    """Hypothesis (6.13x+) seeds generation with constants harvested from every "local" module
    loaded in the process and caches them under .hypothesis/. Then the cases would depend on
    which modules happen to be imported (CLI or pytest) and a folder would be written. We
    switch that off, so the seed alone decides the cases."""
    if hasattr(_providers, "_get_local_constants") and hasattr(_providers, "Constants"):
        _providers._get_local_constants = _providers.Constants


_no_local_constants()


def hypothesis_settings(count: int, phases) -> settings:
    return settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=phases,
        derandomize=False,
        print_blob=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )


def generate_cases(exercise: Exercise, assignment_seed: int, count: int) -> list[Case]:
    cases: list[Case] = []

    @seed(assignment_seed)
    @hypothesis_settings(count, [Phase.generate])
    @given(exercise.inputs)
    def collect(case: Case) -> None:
        cases.append(case)

    collect()
    return cases


def as_answer(exercise: Exercise, value) -> Answer:
    """The reference's return value in the grader's answer form (float64 arrays)."""
    if exercise.returns is Returns.TUPLE:
        return tuple(np.asarray(v, dtype=np.float64) for v in value)
    return np.asarray(value, dtype=np.float64)


def evaluate(exercise: Exercise, function: Callable, case: Case) -> Answer:
    args = [np.array(v, copy=True) if isinstance(v, np.ndarray) else v for v in exercise.call_args(case)]
    return as_answer(exercise, function(*args))


@dataclass(frozen=True)
class ExercisePlan:
    exercise: Exercise
    cases: tuple[Case, ...]
    expected: tuple[Answer, ...]
    edge: tuple[bool, ...]
    units: tuple[float, ...]


def all_cases(
    assignment: Assignment, assignment_seed: int, count: int, use_cache: bool = True
) -> dict[str, list[Case]]:
    """Every exercise's cases: from the disk cache when it holds them, else from Hypothesis."""
    from grader.plan import cache

    names = {e.name for e in assignment.exercises}
    cached = cache.load(assignment, assignment_seed, count) if use_cache else None
    if cached is not None and set(cached) == names:
        return cached
    cases = {e.name: generate_cases(e, assignment_seed, count) for e in assignment.exercises}
    if use_cache:
        cache.store(assignment, assignment_seed, count, cases)
    return cases


def with_supplied_cases(
    assignment: Assignment, generated: dict[str, list[Case]], seed: int
) -> dict[str, list[Case]]:
    """Each exercise's own cases and the cases other exercises' chains supply it
    (grader/model/assignment.py, Supply), without repeats, in an order shuffled with the seed so
    that nothing in a batch tells a supplied case from the exercise's own."""
    combined = {name: list(cases) for name, cases in generated.items()}
    pending = list(assignment.supplies)
    while pending:  # a supply from an exercise that is supplied itself waits for those cases
        ready = [s for s in pending if not any(other.to == s.source for other in pending)]
        if not ready:
            raise ValueError(f"{assignment.id}: the supplies form a cycle")
        supply = ready[0]
        pending.remove(supply)
        seen = {_fingerprint(case) for case in combined[supply.to]}
        for case in combined[supply.source]:
            derived = supply.derive(case)
            if _fingerprint(derived) not in seen:
                seen.add(_fingerprint(derived))
                combined[supply.to].append(derived)
    for name in {supply.to for supply in assignment.supplies}:
        random.Random(f"{seed}:{name}").shuffle(combined[name])
    return combined


def _fingerprint(case: Case) -> tuple:
    return tuple(
        (key, np.asarray(value).dtype.str, np.shape(value), np.asarray(value).tobytes())
        for key, value in sorted(case.items())
    )


def build_plan(
    assignment: Assignment,
    reference: Mapping[str, Callable],
    assignment_seed: int = DEFAULT_SEED,
    count: int = DEFAULT_CASES,
    use_cache: bool = True,
) -> dict[str, ExercisePlan]:
    plan = {}
    generated = with_supplied_cases(
        assignment, all_cases(assignment, assignment_seed, count, use_cache), assignment_seed
    )
    for exercise in assignment.exercises:
        cases = generated[exercise.name]
        expected = tuple(evaluate(exercise, reference[exercise.name], c) for c in cases)
        edge = tuple(bool(exercise.is_edge(c)) if exercise.is_edge else False for c in cases)
        units = tuple(exercise.unit_for(c) for c in cases)
        plan[exercise.name] = ExercisePlan(exercise, tuple(cases), expected, edge, units)
    return plan
