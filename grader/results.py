"""Grading results and their SPEC section 5 JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.registry import EXERCISES, WRITTEN

STATUSES = ("passed", "partial", "failed", "error", "timeout", "missing", "manual")


@dataclass(frozen=True)
class ExerciseResult:
    id: str
    score: float
    max_score: float
    status: str
    feedback: str
    mistake: str | None = None
    """The recognised mistake's catalogue key (grader/variants.py), a shape mistake, or
    `carried_forward`; None when nothing was recognised."""

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "score": float(self.score),
            "max_score": float(self.max_score),
            "status": self.status,
            "feedback": self.feedback,
            "mistake": self.mistake,
        }


@dataclass(frozen=True)
class SubmissionResult:
    submission: str
    student: str
    exercises: tuple[ExerciseResult, ...]
    problems: tuple[str, ...] = field(default=())
    """Submission-level notes: unreadable files, cells that raised while loading."""
    file_errors: tuple[str, ...] = field(default=())
    """Files that could not be read or parsed, each named with the reason."""

    @property
    def autograded(self) -> tuple[ExerciseResult, ...]:
        return tuple(e for e in self.exercises if e.status != "manual")

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
            "score": float(self.score),
            "max_score": self.max_score,
            "exercises": [e.to_json() for e in self.exercises],
            "problems": list(self.problems),
        }


def manual_results() -> tuple[ExerciseResult, ...]:
    return tuple(
        ExerciseResult(q.name, 0.0, float(q.points), "manual", f"Graded by hand: {q.prompt}") for q in WRITTEN
    )


def unreadable(submission: str, student: str, reason: str) -> SubmissionResult:
    """Every exercise `error`, with the reason, for a submission that cannot be read at all."""
    exercises = tuple(ExerciseResult(e.name, 0.0, float(e.points), "error", reason) for e in EXERCISES)
    return SubmissionResult(submission, student, exercises + manual_results(), (reason,), (reason,))
