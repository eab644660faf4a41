"""Grading results and their SPEC section 5 JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from grader.model.assignment import Assignment


class Status(StrEnum):
    """An exercise's status, as SPEC section 5 names them."""

    PASSED = "passed"
    PARTIAL = "partial"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    MISSING = "missing"
    MANUAL = "manual"


class Mistake(StrEnum):
    """The mistakes every assignment can have; each assignment's catalogue (its mistakes.py)
    adds keys of its own, e.g. `missing_two`."""

    CARRIED_FORWARD = "carried_forward"
    """Wrong only because an earlier function is."""
    HARD_CODED = "hard_coded"
    TRANSPOSED = "transposed"
    DIAGONAL_AS_VECTOR = "diagonal_as_vector"
    SQUEEZED = "squeezed"
    EXTRA_DIMENSION = "extra_dimension"
    RESHAPED = "reshaped"
    SINGLE_PRECISION = "single_precision"
    EDGE_ERRORS = "errors_on_edge_cases"


CARRIED_FORWARD = Mistake.CARRIED_FORWARD


@dataclass(frozen=True)
class ExerciseResult:
    id: str
    score: float
    max_score: float
    status: Status
    feedback: str
    mistake: str | None = None
    """The recognised mistake's catalogue key (the assignment's mistakes.py), a shape mistake,
    or `carried_forward`; None when nothing was recognised."""

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "score": float(self.score),
            "max_score": float(self.max_score),
            "status": str(self.status),
            "feedback": self.feedback,
            "mistake": self.mistake,
        }

    @classmethod
    def from_json(cls, document: dict) -> ExerciseResult:
        return cls(
            str(document["id"]),
            float(document["score"]),
            float(document["max_score"]),
            Status(document["status"]),
            str(document["feedback"]),
            document.get("mistake"),
        )


@dataclass(frozen=True)
class Provenance:
    """What a result depends on, so results can be stored, compared and regraded."""

    assignment: str
    seed: int
    cases: int
    grader_version: str
    hypothesis_version: str
    reference_digest: str
    """sha256 of the reference's source files."""

    def to_json(self) -> dict:
        return {
            "assignment": self.assignment,
            "seed": self.seed,
            "cases_per_function": self.cases,
            "grader_version": self.grader_version,
            "hypothesis_version": self.hypothesis_version,
            "reference_digest": self.reference_digest,
        }

    @classmethod
    def from_json(cls, document: dict) -> Provenance:
        return cls(
            document["assignment"],
            int(document["seed"]),
            int(document["cases_per_function"]),
            document["grader_version"],
            document["hypothesis_version"],
            document["reference_digest"],
        )


@dataclass(frozen=True)
class SubmissionResult:
    submission: str
    student: str
    assignment: str
    exercises: tuple[ExerciseResult, ...]
    problems: tuple[str, ...] = field(default=())
    """Submission-level notes: unreadable files, cells that raised while loading."""
    file_errors: tuple[str, ...] = field(default=())
    """Files that could not be read or parsed, each named with the reason."""
    provenance: Provenance | None = None

    @property
    def autograded(self) -> tuple[ExerciseResult, ...]:
        return tuple(e for e in self.exercises if e.status != Status.MANUAL)

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.autograded), 3)

    @property
    def max_score(self) -> float:
        return float(sum(e.max_score for e in self.autograded))

    def to_json(self) -> dict:
        return {
            "submission": self.submission,
            "student": self.student,
            "assignment": self.assignment,
            "score": float(self.score),
            "max_score": self.max_score,
            "exercises": [e.to_json() for e in self.exercises],
            "problems": list(self.problems),
            **({"provenance": self.provenance.to_json()} if self.provenance else {}),
        }

    @classmethod
    def from_json(cls, document: dict) -> SubmissionResult:
        """The result a stored section 5 object describes (the service renders stored results
        with the same pages as `grade --feedback`)."""
        provenance = document.get("provenance")
        return cls(
            str(document["submission"]),
            str(document["student"]),
            str(document["assignment"]),
            tuple(ExerciseResult.from_json(e) for e in document["exercises"]),
            tuple(str(p) for p in document.get("problems", ())),
            (),
            Provenance.from_json(provenance) if provenance else None,
        )


def manual_results(assignment: Assignment) -> tuple[ExerciseResult, ...]:
    return tuple(
        ExerciseResult(q.name, 0.0, float(q.points), Status.MANUAL, f"Graded by hand: {q.prompt}")
        for q in assignment.written
    )


def unreadable(
    assignment: Assignment, submission: str, student: str, reason: str, provenance: Provenance | None = None
) -> SubmissionResult:
    """Every exercise `error`, with the reason, for a submission that cannot be read at all."""
    exercises = tuple(
        ExerciseResult(e.name, 0.0, float(e.points), Status.ERROR, reason) for e in assignment.exercises
    )
    return SubmissionResult(
        submission,
        student,
        assignment.id,
        exercises + manual_results(assignment),
        (reason,),
        (reason,),
        provenance,
    )
