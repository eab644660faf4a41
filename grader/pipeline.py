"""Grading one submission, in one direction: files -> sandboxed answers -> checks against the
reference -> scores -> feedback. The plan (cases and expected answers) is built once and never
leaves this process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from grader import feedback as fb
from grader.cases import DEFAULT_CASES, DEFAULT_SEED, ExercisePlan, build_plan, evaluate
from grader.chains import consistent_with_own_functions
from grader.checks import CaseCheck, check_outcomes
from grader.diagnose import constant_answer, matching_misconception
from grader.exercise import Exercise
from grader.notebooks import UnreadableSubmission, read_unit, released_cells
from grader.probe_tree import ProbeTree
from grader.registry import BY_NAME, EXERCISES
from grader.results import ExerciseResult, SubmissionResult, manual_results, unreadable
from grader.sandbox import Limits, LoadReport, SandboxSession
from grader.sandbox.spares import SpareWorkers
from grader.scoring import score, status
from grader.shrink import smallest_failure
from grader.submissions import Submission
from grader.verify import verify_reference


@dataclass(frozen=True)
class Options:
    seed: int = DEFAULT_SEED
    cases: int = DEFAULT_CASES
    reveal: fb.Reveal = fb.Reveal.SHAPES
    limits: Limits = field(default_factory=Limits)
    carry_forward: bool = False
    """Give full marks to a chained function that is wrong only because an earlier one is."""
    shared_shrinks: bool = True
    """Walk earlier submissions' shrinks (grader/probe_tree.py) instead of shrinking again:
    faster, and by construction the same results."""


@dataclass(frozen=True)
class Diagnosis:
    text: str
    mistake: str | None
    """The catalogue key of the recognised mistake, `carried_forward`, or None."""
    carried: bool


class Grader:
    """Holds the reference and the plan; grades any number of submissions with them."""

    def __init__(self, reference: dict[str, Callable], options: Options = Options()) -> None:
        self.reference = reference
        self.options = options
        self.plan: dict[str, ExercisePlan] = build_plan(reference, options.seed, options.cases)
        verify_reference(self.plan)
        self.trees = {exercise.name: ProbeTree() for exercise in EXERCISES}
        """The shrinks made so far (they depend on the plan and reference, not on options)."""

    def with_options(self, options: Options) -> Grader:
        """The same grader with other options; the plan is reused when the cases are the same."""
        if (options.seed, options.cases) != (self.options.seed, self.options.cases):
            return Grader(self.reference, options)
        clone = object.__new__(Grader)
        clone.reference, clone.options, clone.plan = self.reference, options, self.plan
        clone.trees = self.trees
        return clone

    def grade(self, submission: Submission, spares: SpareWorkers | None = None) -> SubmissionResult:
        """Grade what can be read; a file that cannot is named in the result and costs only the
        functions the readable files do not define. With `spares` (a batch), the sandbox process
        was started ahead of time and the next submission's is started now."""
        units, file_errors = [], []
        for path in submission.files:
            try:
                units.append(read_unit(path, released_cells()))
            except UnreadableSubmission as exc:
                file_errors.append(str(exc))
        if not units:
            return unreadable(submission.label, submission.student, "; ".join(file_errors))
        names = [exercise.name for exercise in EXERCISES]
        copy = submission.folder or submission.files[0]
        spare = spares.take() if spares else None
        with SandboxSession(units, copy, names, self.options.limits, spare) as session:
            report = session.load()
            results: list[ExerciseResult] = []
            lost: set[str] = set()
            for exercise in EXERCISES:
                result = self._grade_exercise(exercise, session, report, lost, file_errors)
                if result.score < result.max_score or result.mistake == "carried_forward":
                    lost.add(exercise.name)  # wrong, even where carry-forward gave the marks
                results.append(result)
        problems = tuple(f"{where}: {error}" for where, error in report.cell_errors)
        if report.failure:
            problems = (report.failure, *problems)
        return SubmissionResult(
            submission.label,
            submission.student,
            tuple(results) + manual_results(),
            tuple(file_errors) + problems,
            tuple(file_errors),
        )

    def _grade_exercise(
        self,
        exercise: Exercise,
        session: SandboxSession,
        report: LoadReport,
        lost: set[str],
        file_errors: list[str],
    ) -> ExerciseResult:
        points = float(exercise.points)
        if report.failure:
            kind = "timeout" if report.timed_out else "error"
            return ExerciseResult(exercise.name, 0.0, points, kind, f"Not graded: {report.failure}.")
        if exercise.name not in report.defined and file_errors:
            return ExerciseResult(
                exercise.name, 0.0, points, "error", f"Not graded: {'; '.join(file_errors)}."
            )
        if exercise.name not in report.defined:
            return ExerciseResult(exercise.name, 0.0, points, "missing", _missing_text(exercise, report))
        plan = self.plan[exercise.name]
        outcomes = session.call_frame(
            exercise.name, plan.request, len(plan.cases), exercise.returns, exercise.tuple_length
        )
        answered = len(outcomes)  # fewer than the cases after a timeout or crash
        checks = check_outcomes(exercise, plan.expected[:answered], outcomes, plan.units[:answered])
        earned = score(exercise, checks, plan.edge)
        if earned >= points:
            text = fb.summary(exercise, checks, len(plan.cases), plan.edge)
            return ExerciseResult(exercise.name, earned, points, "passed", text)
        diagnosis = self._diagnose(exercise, plan, checks, session, lost)
        if diagnosis.carried and self.options.carry_forward:
            text = fb.carried_forward_credit(exercise, lost) + "\n" + diagnosis.text
            return ExerciseResult(exercise.name, points, points, "passed", text, "carried_forward")
        return ExerciseResult(
            exercise.name, earned, points, status(exercise, earned, checks), diagnosis.text, diagnosis.mistake
        )

    def _explain_failure(
        self, exercise, checks, failures, misconception, session, lines: list[str]
    ) -> str | None:
        """Shrink to the smallest failing case (never replaying a hang) and explain it."""
        hung = any(c.kind in ("timeout", "crash") for c in checks)
        shrunk = (
            None
            if hung
            else smallest_failure(
                exercise,
                self.reference[exercise.name],
                session,
                self.options.seed,
                self.options.cases,
                self.trees[exercise.name] if self.options.shared_shrinks else None,
            )
        )
        case, check = shrunk if shrunk else min(failures, key=_case_size)
        expected = evaluate(exercise, self.reference[exercise.name], case)
        named, text = fb.mistake(misconception, expected, check, constant_answer(failures))
        lines.append(text)
        lines += fb.failing_case(exercise, case, expected, check, self.options.reveal, shrunk is not None)
        lines.append(fb.finite_difference_evidence(exercise, case, check))
        lines.append(fb.step_size_evidence(exercise, case, check))
        return named

    def _diagnose(
        self,
        exercise: Exercise,
        plan: ExercisePlan,
        checks: list[CaseCheck],
        session: SandboxSession,
        lost: set[str],
    ) -> Diagnosis:
        """Everything the student reads about a lost mark: what failed, the smallest failing
        case, the likely mistake and the evidence."""
        lines = [fb.summary(exercise, checks, len(plan.cases), plan.edge)]
        failures = [(plan.cases[i], c) for i, c in enumerate(checks) if c.wrong]
        mistake, carried = None, False
        if failures:
            misconception = matching_misconception(exercise, failures)
            carried = bool(set(exercise.calls) & lost) and consistent_with_own_functions(
                exercise, failures, session, BY_NAME
            )
            if carried:
                # Explained at the earlier function, with its smallest case; nothing is shrunk
                # here, and no random case is shown (they stay secret).
                mistake = "carried_forward"
            else:
                mistake = self._explain_failure(exercise, checks, failures, misconception, session, lines)
        lines.append(fb.carried_forward(exercise, lost, carried))
        return Diagnosis("\n".join(line for line in lines if line), mistake, carried)


def _case_size(failure) -> tuple[int, float]:
    """Fewest entries first, then smallest magnitudes: the easiest listed case to read."""
    values = [np.asarray(v, dtype=float) for v in failure[0].values()]
    return sum(v.size for v in values), float(sum(np.abs(v).sum() for v in values))


def _missing_text(exercise: Exercise, report: LoadReport) -> str:
    text = f"Not found: the submission defines no function named {exercise.name}."
    if report.cell_errors:
        where, error = report.cell_errors[0]
        text += f" Note: {where} raised {error}; a definition after it may not have run."
    return text
