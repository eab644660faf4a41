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
from grader.model.exercise import Answer, Case, Exercise, Returns, Units

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


REGION_CASES = 3
"""Cases drawn from each of an exercise's regions, whatever the seed and the number of cases."""
SUPPLIED = -1
"""The origin of a case another exercise's chain supplies (not drawn from any strategy)."""


def draw(strategy, assignment_seed: int, count: int) -> list[Case]:
    cases: list[Case] = []

    @seed(assignment_seed)
    @hypothesis_settings(count, [Phase.generate])
    @given(strategy)
    def collect(case: Case) -> None:
        cases.append(case)

    collect()
    return cases


def generate_cases(exercise: Exercise, assignment_seed: int, count: int) -> list[Case]:
    """The exercise's own random cases (origin 0)."""
    return draw(exercise.inputs, assignment_seed, count)


def strategy_of(exercise: Exercise, origin: int):
    """The strategy that drew a case of this origin: 0 the exercise's own, k its k-th region."""
    return exercise.inputs if origin == 0 else exercise.regions[origin - 1].inputs


def count_of(origin: int, count: int) -> int:
    return count if origin == 0 else REGION_CASES


def generate_all(exercise: Exercise, assignment_seed: int, count: int) -> tuple[list[Case], list[int]]:
    """The exercise's own cases, then REGION_CASES from each region, with their origins."""
    cases, origins = generate_cases(exercise, assignment_seed, count), []
    origins = [0] * len(cases)
    for k, region in enumerate(exercise.regions, start=1):
        drawn = draw(region.inputs, assignment_seed, REGION_CASES)
        cases += drawn
        origins += [k] * len(drawn)
    return cases, origins


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
    units: tuple[Units, ...]
    origins: tuple[int, ...]
    """Where each case comes from: 0 the exercise's strategy, k its k-th region, SUPPLIED."""


Drawn = dict[str, list[tuple[Case, int]]]
"""Every exercise's cases with their origins."""


def all_cases(assignment: Assignment, assignment_seed: int, count: int, use_cache: bool = True) -> Drawn:
    """Every exercise's cases: from the disk cache when it holds them, else from Hypothesis."""
    from grader.plan import cache

    names = {e.name for e in assignment.exercises}
    cached = cache.load(assignment, assignment_seed, count) if use_cache else None
    if cached is not None and set(cached) == names:
        return cached
    drawn = {}
    for exercise in assignment.exercises:
        cases, origins = generate_all(exercise, assignment_seed, count)
        drawn[exercise.name] = list(zip(cases, origins, strict=True))
    if use_cache:
        cache.store(assignment, assignment_seed, count, drawn)
    return drawn


def with_supplied_cases(assignment: Assignment, drawn: Drawn, seed: int) -> Drawn:
    """Each exercise's own cases and the cases other exercises' chains supply it
    (grader/model/assignment.py, Supply), without repeats, in an order shuffled with the seed so
    that nothing in a batch tells a supplied case from the exercise's own."""
    combined = {name: list(cases) for name, cases in drawn.items()}
    pending = list(assignment.supplies)
    while pending:  # a supply from an exercise that is supplied itself waits for those cases
        ready = [s for s in pending if not any(other.to == s.source for other in pending)]
        if not ready:
            raise ValueError(f"{assignment.id}: the supplies form a cycle")
        supply = ready[0]
        pending.remove(supply)
        seen = {_fingerprint(case) for case, _ in combined[supply.to]}
        for case, _ in combined[supply.source]:
            derived = supply.derive(case)
            if _fingerprint(derived) not in seen:
                seen.add(_fingerprint(derived))
                combined[supply.to].append((derived, SUPPLIED))
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
        cases = tuple(case for case, _ in generated[exercise.name])
        expected = tuple(evaluate(exercise, reference[exercise.name], c) for c in cases)
        edge = tuple(bool(exercise.is_edge(c)) if exercise.is_edge else False for c in cases)
        units = tuple(exercise.unit_for(c) for c in cases)
        origins = tuple(origin for _, origin in generated[exercise.name])
        plan[exercise.name] = ExercisePlan(exercise, cases, expected, edge, units, origins)
    return plan
