"""Grading one submission, in one direction: files -> sandboxed answers -> checks against the
reference -> scores -> feedback. The plan (cases and expected answers) is built once and never
leaves this process. No printing and no exit codes: front ends do that."""

from __future__ import annotations

from dataclasses import replace

import hypothesis

from grader import __version__
from grader.core.options import Options
from grader.explain import feedback as fb
from grader.explain.diagnosis import Explainer, Progress
from grader.intake.notebooks import UnreadableSubmission, unit_from_bytes
from grader.intake.submissions import Submission, receive
from grader.judge.checks import Expected
from grader.judge.scoring import score, status
from grader.judge.verify import verify_reference
from grader.model.assignment import Assignment
from grader.model.exercise import Exercise
from grader.model.results import (
    CARRIED_FORWARD,
    ExerciseResult,
    Provenance,
    Status,
    SubmissionResult,
    manual_results,
    unreadable,
)
from grader.plan.cases import ExercisePlan, build_plan
from grader.plan.reference import Reference
from grader.run.runner import Call, LoadReport, Prepared, Runner, Runners
from grader.run.sandbox import SandboxRunners

PRINTED_NOTE = 1_000_000
"""Characters printed while grading past which the result says so (once)."""


class Grader:
    """Holds one assignment's reference and plan; grades any number of its submissions.

    `runners` (default: the sandbox) runs student code; the requests of the plan are prepared
    once here, for every submission. `released` maps nbgrader grade ids of the released
    notebooks' locked cells to their source, restored before a notebook runs."""

    def __init__(
        self,
        assignment: Assignment,
        reference: Reference,
        options: Options | None = None,
        released: dict[str, str] | None = None,
        runners: Runners | None = None,
    ) -> None:
        self.assignment = assignment
        self.reference = reference
        self.options = options = options or Options()
        self.released = released or {}
        self.runners = runners or SandboxRunners(options.limits)
        self.plan: dict[str, ExercisePlan] = build_plan(
            assignment, reference.functions, options.seed, options.cases, options.use_cache
        )
        verify_reference(self.plan)
        self.expected = {name: Expected(p.exercise, p.expected, p.units) for name, p in self.plan.items()}
        """The expected side of every check, computed once for every submission."""
        self.requests: dict[str, Prepared] = {
            name: self.runners.prepare(Call.of(p.exercise), [p.exercise.call_args(c) for c in p.cases])
            for name, p in self.plan.items()
        }
        self.explainer = Explainer(
            assignment,
            self.plan,
            reference.functions,
            options.seed,
            options.cases,
            options.reveal,
            options.shared_shrinks,
            reference.digest,
            options.use_cache,
        )
        self.provenance = Provenance(
            assignment.id,
            options.seed,
            options.cases,
            __version__,
            hypothesis.__version__,
            reference.digest,
        )

    def with_options(self, options: Options) -> Grader:
        """The same grader with other options; the plan is reused when the cases are the same."""
        if (options.seed, options.cases, options.limits) != (
            self.options.seed,
            self.options.cases,
            self.options.limits,
        ):
            return Grader(self.assignment, self.reference, options, self.released)
        clone = object.__new__(Grader)
        clone.__dict__.update(self.__dict__)
        clone.options = options
        clone.explainer = replace(
            self.explainer,
            reveal=options.reveal,
            shared_shrinks=options.shared_shrinks,
            stored_shrinks=options.use_cache,
        )
        return clone

    def grade(self, submission: Submission, runners: Runners | None = None) -> SubmissionResult:
        """Grade what can be read; a file that cannot is named in the result and costs only the
        functions the readable files do not define. `runners` (a batch's, with processes
        started ahead) must be of the same kind as the grader's own."""
        intake = receive(submission, self.options.budget)
        units, file_errors = [], list(intake.unreadable)
        for shown, data in intake.graded:
            try:
                units.append(unit_from_bytes(shown, data, self.released))
            except UnreadableSubmission as exc:
                file_errors.append(str(exc))
        if not units:
            reason = "; ".join(file_errors) or f"{submission.label}: no notebook or .py file to grade"
            return unreadable(self.assignment, submission.label, submission.student, reason, self.provenance)
        names = [exercise.name for exercise in self.assignment.exercises]
        with (runners or self.runners).open(units, intake.files, names) as runner:
            report = runner.load()
            graded: dict[str, ExerciseResult] = {}
            progress = Progress()
            for exercise in self.assignment.grading_order:
                result = self._grade_exercise(exercise, runner, report, progress, file_errors)
                if result.score < result.max_score or result.mistake == CARRIED_FORWARD:
                    progress.lost.add(exercise.name)
                elif result.status == Status.PASSED:
                    progress.passed.add(exercise.name)
                graded[exercise.name] = result
        results = [graded[exercise.name] for exercise in self.assignment.exercises]
        problems = tuple(f"{where}: {error}" for where, error in report.cell_errors)
        if report.failure:
            problems = (report.failure, *problems)
        if runner.printed > PRINTED_NOTE:
            problems += (
                f"the submission printed {runner.printed / 1e6:.1f} million characters while it was graded; "
                "printed output is never kept and never changes a score, but it slows your code down",
            )
        return SubmissionResult(
            submission.label,
            submission.student,
            self.assignment.id,
            tuple(results) + manual_results(self.assignment),
            tuple(file_errors) + tuple(intake.refused) + problems,
            tuple(file_errors),
            self.provenance,
        )

    def _grade_exercise(
        self,
        exercise: Exercise,
        runner: Runner,
        report: LoadReport,
        progress: Progress,
        file_errors: list[str],
    ) -> ExerciseResult:
        points = float(exercise.points)
        if report.failure:
            kind = Status.TIMEOUT if report.timed_out else Status.ERROR
            return ExerciseResult(exercise.name, 0.0, points, kind, f"Not graded: {report.failure}.")
        if exercise.name not in report.defined and file_errors:
            return ExerciseResult(
                exercise.name, 0.0, points, Status.ERROR, f"Not graded: {'; '.join(file_errors)}."
            )
        if exercise.name not in report.defined:
            return ExerciseResult(exercise.name, 0.0, points, Status.MISSING, _missing_text(exercise, report))
        plan = self.plan[exercise.name]
        outcomes = runner.ask_prepared(self.requests[exercise.name])
        checks = self.expected[exercise.name].check(outcomes)
        progress.checks[exercise.name] = checks
        earned = score(exercise, checks, plan.edge)
        if earned >= points:
            text = fb.summary(exercise, checks, len(plan.cases), plan.edge)
            return ExerciseResult(exercise.name, earned, points, Status.PASSED, text)
        diagnosis = self.explainer.diagnose(exercise, checks, runner, progress)
        if diagnosis.carried and self.options.carry_forward:
            text = fb.carried_forward_credit(exercise, progress.lost) + "\n" + diagnosis.text
            return ExerciseResult(exercise.name, points, points, Status.PASSED, text, CARRIED_FORWARD)
        return ExerciseResult(
            exercise.name, earned, points, status(exercise, earned, checks), diagnosis.text, diagnosis.mistake
        )


def _missing_text(exercise: Exercise, report: LoadReport) -> str:
    text = f"Not found: the submission defines no function named {exercise.name}."
    if report.cell_errors:
        where, error = report.cell_errors[0]
        text += f" Note: {where} raised {error}; a definition after it may not have run."
    return text
