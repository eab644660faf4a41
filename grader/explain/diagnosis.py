"""Everything a student reads about a lost mark, assembled: what failed, the smallest failing
case (shrunk with the strategy that drew it), the likely mistake, the evidence of finite
differences and of runs of the iteration, and error carried forward."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from grader.explain import feedback as fb
from grader.explain.carry import Answers, consistent_with_own_functions
from grader.explain.diagnose import (
    Variants,
    constant_answer,
    errors_only_on_edges,
    misconception_on_plan,
    single_precision,
)
from grader.judge.checks import CaseCheck, Expected, Verdict
from grader.judge.probe_tree import Probe, ProbeTree
from grader.judge.shrink import smallest_failure
from grader.model.assignment import Assignment
from grader.model.exercise import Case, Exercise
from grader.model.results import CARRIED_FORWARD
from grader.plan.cases import SUPPLIED, ExercisePlan, count_of, evaluate, strategy_of
from grader.plan.shrinks import ShrinkStore, store_for
from grader.run.runner import Runner


@dataclass
class Progress:
    """What one submission has answered so far, for error carried forward."""

    checks: dict[str, list[CaseCheck]] = field(default_factory=dict)
    passed: set[str] = field(default_factory=set)
    """Right on every graded case."""
    lost: set[str] = field(default_factory=set)
    """Wrong somewhere, even where carry-forward gave the marks."""


@dataclass(frozen=True)
class Diagnosis:
    text: str
    mistake: str | None
    """The key of the recognised mistake, `carried_forward`, or None."""
    carried: bool


@dataclass
class Explainer:
    """One assignment's diagnoses, with the shrinks made so far (grader/judge/probe_tree.py)."""

    assignment: Assignment
    plan: Mapping[str, ExercisePlan]
    reference: Mapping[str, Callable]
    seed: int
    cases: int
    reveal: fb.Reveal
    shared_shrinks: bool = True
    digest: str = ""
    """The reference's digest: stored shrinks are kept apart per reference."""
    stored_shrinks: bool = False
    """Share shrinks with other workers and runs through the case cache (grader/plan/shrinks.py)."""
    trees: dict[tuple[str, int], ProbeTree] = field(default_factory=dict)
    stores: dict[tuple[str, int], ShrinkStore] = field(default_factory=dict)
    variants: dict[str, Variants] = field(default_factory=dict)
    """The misconceptions' answers on each exercise's cases, computed on first use."""

    def __post_init__(self) -> None:
        for exercise in self.assignment.exercises:
            for origin in range(len(exercise.regions) + 1):
                self.trees.setdefault((exercise.name, origin), ProbeTree())

    def diagnose(
        self, exercise: Exercise, checks: list[CaseCheck], runner: Runner, progress: Progress
    ) -> Diagnosis:
        plan = self.plan[exercise.name]
        lines = [fb.summary(exercise, checks, len(plan.cases), plan.edge)]
        failures = [(plan.cases[i], c) for i, c in enumerate(checks) if c.wrong]
        mistake: str | None = None
        carried = False
        if failures:
            answers = Answers(
                self.assignment,
                {n: p.cases for n, p in self.plan.items()},
                progress.checks,
                progress.passed,
                self.reference,
            )
            carried = bool(set(exercise.calls) & progress.lost) and consistent_with_own_functions(
                exercise, failures, answers
            )
            if carried:
                # Explained at the earlier function, with its smallest case; nothing is shrunk
                # here, and no random case is shown (they stay secret).
                mistake = CARRIED_FORWARD
            else:
                mistake = self._explain_failure(exercise, plan, checks, failures, runner, lines)
        lines.append(fb.carried_forward(exercise, progress.lost, carried))
        return Diagnosis("\n".join(line for line in lines if line), mistake, carried)

    def _explain_failure(
        self, exercise, plan: ExercisePlan, checks, failures, runner, lines: list[str]
    ) -> str | None:
        """Shrink to the smallest failing case (never replaying a hang) and explain it. The
        shrink runs the strategy that drew the first failing case: the exercise's own, or the
        region it belongs to; a failure only on supplied cases is shown unshrunk, rounded."""
        hung = any(c.kind in (Verdict.TIMEOUT, Verdict.CRASH) for c in checks)
        reference = self.reference[exercise.name]
        origins = [plan.origins[i] for i, c in enumerate(checks) if c.wrong and plan.origins[i] != SUPPLIED]
        shrunk = None
        if not hung and origins:
            origin = origins[0]
            tree = self.trees[(exercise.name, origin)] if self.shared_shrinks else None
            store = self._store(exercise, origin) if tree is not None and self.stored_shrinks else None
            if tree is not None and store is not None:
                store.refresh(tree)
            shrunk = smallest_failure(
                exercise,
                reference,
                runner,
                self.seed,
                count_of(origin, self.cases),
                tree,
                strategy_of(exercise, origin),
                store.save if store is not None else None,
            )
        case, check = shrunk if shrunk else min(failures, key=_case_size)
        expected = evaluate(exercise, reference, case)
        graded = list(zip(plan.cases, checks, strict=False))
        if exercise.name not in self.variants:
            self.variants[exercise.name] = Variants(exercise, plan.cases)
        named, text = fb.mistake(
            misconception_on_plan(exercise, self.variants[exercise.name], checks, plan.expected),
            expected,
            check,
            constant_answer(graded),
            single_precision(failures),
            errors_only_on_edges(exercise, checks, plan.edge),
        )
        lines.append(text)
        lines += fb.failing_case(exercise, case, expected, check, self.reveal, shrunk is not None)
        lines.append(fb.finite_difference_evidence(exercise, case, check, self.reveal))
        lines.append(fb.step_size_evidence(exercise, case, check))
        lines.append(fb.rate_evidence(exercise, case, check, self.reveal))
        return named

    def _store(self, exercise: Exercise, origin: int) -> ShrinkStore:
        key = (exercise.name, origin)
        if key not in self.stores:
            reference = self.reference[exercise.name]

            def probe(case: Case) -> Probe:
                expected, unit = evaluate(exercise, reference, case), exercise.unit_for(case)
                return Probe(case, expected, unit, Expected(exercise, [expected], [unit]))

            count = count_of(origin, self.cases)
            self.stores[key] = store_for(
                self.assignment, self.seed, count, self.digest, exercise.name, origin, probe
            )
        return self.stores[key]


def _case_size(failure) -> tuple[int, float]:
    """Fewest entries first, then smallest magnitudes: the easiest listed case to read."""
    values = [np.asarray(v, dtype=float) for v in failure[0].values()]
    return sum(v.size for v in values), float(sum(np.abs(v).sum() for v in values))
