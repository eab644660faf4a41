"""The narrow interface between "what to ask the student's code" (planning, judging and
explaining, which never import the sandbox) and "how it runs" (grader/run/sandbox/, which never
imports the plan). A runner loads one submission, then answers batches of calls with outcomes:
('ok', answer), ('error', message), ('timeout', message) or ('crash', message). It never raises
because of what the student's code did."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from grader.model.exercise import Exercise, Returns
from grader.model.unit import Unit


class OutcomeKind(StrEnum):
    OK = "ok"
    ERROR = "error"
    TIMEOUT = "timeout"
    CRASH = "crash"


Outcome = tuple[str, Any]
"""(OutcomeKind, answer or message)."""


@dataclass(frozen=True)
class Call:
    """Which student function to call and what it must return."""

    name: str
    returns: Returns
    length: int = 0
    """The tuple length, for functions returning tuples."""

    @classmethod
    def of(cls, exercise: Exercise) -> Call:
        return cls(exercise.name, exercise.returns, exercise.tuple_length)


@dataclass(frozen=True)
class Prepared:
    """A batch of calls made ready once (by the runner factory) and sent to many submissions."""

    call: Call
    count: int
    payload: Any


@dataclass
class LoadReport:
    defined: set[str] = field(default_factory=set)
    cell_errors: list[tuple[str, str]] = field(default_factory=list)
    layers: dict = field(default_factory=dict)
    """Which confinement layers took effect (as the runner reports them)."""
    failure: str | None = None
    """Why the submission could not be loaded at all (it hung, crashed or broke the protocol)."""
    timed_out: bool = False


class Runner(Protocol):
    """One submission, loaded once and called in batches."""

    printed: int
    """How much the submission has printed so far (output is counted, never kept)."""

    def load(self) -> LoadReport: ...

    def ask(self, call: Call, cases: Sequence[tuple]) -> list[Outcome]:
        """Outcomes for a batch of argument tuples; shorter than `cases` after a timeout."""
        ...

    def ask_prepared(self, prepared: Prepared) -> list[Outcome]: ...


class Runners(Protocol):
    """Where runners come from: one per submission, with its files and code."""

    def prepare(self, call: Call, cases: Sequence[tuple]) -> Prepared: ...

    def open(
        self, units: list[Unit], files: Mapping[str, bytes], names: list[str]
    ) -> AbstractContextManager[Runner]: ...
