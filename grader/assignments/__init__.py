"""The assignments, as data: each is a package here (exercises, strategies, mistakes, chains,
notebook text, self-check) that builds one grader.model.Assignment. The grader is generic;
adding an assignment is its package plus one line in ASSIGNMENTS."""

from __future__ import annotations

from grader.model.assignment import Assignment


class UnknownAssignment(KeyError):
    def __str__(self) -> str:
        return f"no assignment {self.args[0]!r}; known: {', '.join(ids())}"


def _all() -> dict[str, Assignment]:
    from grader.assignments import hw1, hw2

    listed = (hw1.ASSIGNMENT, hw2.ASSIGNMENT)
    return {assignment.id: assignment for assignment in listed}


DEFAULT = "hw1"


def ids() -> tuple[str, ...]:
    return tuple(_all())


def get(assignment_id: str) -> Assignment:
    """The assignment with this id (`hw1`, `hw2`); UnknownAssignment otherwise."""
    try:
        return _all()[assignment_id]
    except KeyError:
        raise UnknownAssignment(assignment_id) from None
