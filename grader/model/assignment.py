"""What an assignment is: its exercises, written questions and notebooks, as data. The grader is
generic; everything particular to one homework lives in its package under grader/assignments/
and is described by one of these."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from grader.model.exercise import Case, Exercise, WrittenQuestion

Functions = Mapping[str, Callable]
"""A student's functions by name, as the carry-forward rebuild sees them."""
Chain = Callable[[Case, Functions], object]
"""An exercise rebuilt from the student's own earlier functions (error carried forward)."""


@dataclass(frozen=True)
class Supply:
    """Graded cases of exercise `to` derived from every case of exercise `source`: the inputs
    `source`'s chain (its rebuild from the student's own functions) gives `to`. They are graded
    like any of `to`'s cases, in the same batch, before `source`'s cases are sent, so the
    rebuild finds the student's own answers there and never calls the student's code again."""

    to: str
    source: str
    derive: Callable[[Case], Case]


@dataclass(frozen=True)
class Section:
    """One graded function's part of a notebook: its text, its signature and its docstring."""

    name: str
    markdown: str
    signature: str
    docstring: str


@dataclass(frozen=True)
class Notebook:
    """One notebook of an assignment: the reference lives in solutions/<name>.py and the
    released file is <name>.ipynb."""

    name: str
    intro: str
    sections: tuple[Section, ...]
    written: str
    """The markdown that asks the notebook's written question."""


@dataclass(frozen=True, eq=False)
class Assignment:
    id: str
    title: str
    notebooks: tuple[Notebook, ...]
    exercises: tuple[Exercise, ...]
    written: tuple[WrittenQuestion, ...]
    package: Path
    """The folder of this assignment's definition; its files decide the cases (cache keys)."""
    selfcheck: Path
    """The solution-free self-check module shipped beside the notebooks as selfcheck.py."""
    chains: Mapping[str, Chain] = field(default_factory=dict)
    supplies: tuple[Supply, ...] = ()
    autograded_points: float | None = None
    """The total SPEC fixes; checked against the exercises when given."""

    def __post_init__(self) -> None:
        names = [e.name for e in self.exercises]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.id}: an exercise is listed twice")
        notebooks = {n.name for n in self.notebooks}
        items: list[Exercise | WrittenQuestion] = [*self.exercises, *self.written]
        for item in items:
            if item.notebook not in notebooks:
                raise ValueError(f"{self.id}: {item.name} is in no notebook of the assignment")
        if self.autograded_points is not None and self.total_points != self.autograded_points:
            raise ValueError(
                f"{self.id}: exercises total {self.total_points:g}, not {self.autograded_points:g}"
            )

    @cached_property
    def by_name(self) -> dict[str, Exercise]:
        return {exercise.name: exercise for exercise in self.exercises}

    @property
    def grading_order(self) -> tuple[Exercise, ...]:
        """The exercises that supply cases first (each before any case of its sources is
        sent), the others after; results are still listed in `exercises` order."""
        suppliers = {supply.to for supply in self.supplies}
        first = [e for e in self.exercises if e.name in suppliers]
        return tuple(first + [e for e in self.exercises if e.name not in suppliers])

    @property
    def notebook_names(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.notebooks)

    @property
    def total_points(self) -> float:
        return float(sum(exercise.points for exercise in self.exercises))

    @property
    def written_points(self) -> float:
        return float(sum(question.points for question in self.written))
