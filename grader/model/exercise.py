"""What an exercise is, declaratively: an assignment (grader/model/assignment.py) holds one of
these per graded function, and everything else (cases, checks, scores, feedback) is derived
from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from hypothesis import strategies as st

Case = dict
"""One input case: argument name -> numpy array, float or int."""
Answer = np.ndarray | tuple
"""A converted answer: one float64 array, or a tuple of them for functions returning tuples."""
Units = float | np.ndarray | tuple
"""Term sizes for an answer: a number, an array, or a tuple of them for a tuple answer."""


class Returns(StrEnum):
    """What a graded function returns: one array (or number), or a tuple of them."""

    ARRAY = "array"
    TUPLE = "tuple"


@dataclass(frozen=True)
class Part:
    """A separately scored part of an answer: one element of a returned tuple, or one entry."""

    label: str
    share: float
    select: Callable[[Any], Any] = lambda answer: answer

    def of(self, answer: Answer) -> np.ndarray:
        return np.asarray(self.select(answer), dtype=np.float64)


WHOLE = (Part("answer", 1.0),)


def _item(index: int) -> Callable[[Any], Any]:
    return lambda answer: answer[index]


def tuple_parts(*labels: str) -> tuple[Part, ...]:
    share = 1.0 / len(labels)
    return tuple(Part(label, share, _item(i)) for i, label in enumerate(labels))


def bound_parts(lower_share: float) -> tuple[Part, ...]:
    return (
        Part("lower bound", lower_share, lambda ans: ans[0]),
        Part("upper bound", 1.0 - lower_share, lambda ans: ans[1]),
    )


def pair_parts(first: str, second: str) -> tuple[Part, ...]:
    """Two entries of a (2,) answer scored separately, half each, e.g. (eta*, beta*)."""
    return (
        Part(first, 0.5, lambda ans: ans[..., 0] if np.ndim(ans) else ans),
        Part(second, 0.5, lambda ans: ans[..., 1] if np.ndim(ans) else ans),
    )


@dataclass(frozen=True)
class Region:
    """Inputs every run must include, whatever the seed or the number of cases: a part of the
    input space where a known mistake shows (a dimension of 1, |z| in (10, 18], curvatures far
    apart, ...). The plan draws REGION_CASES cases from it after the exercise's own."""

    name: str
    inputs: st.SearchStrategy


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer: when the student's answers equal `variant`'s on every failing case,
    the feedback names `description` and gives `hint`, which never reveals the answer."""

    key: str
    description: str
    hint: str
    variant: Callable[..., object]


@dataclass(frozen=True)
class FiniteDifference:
    """How to check an answer against centred differences: `target(case)` gives (theta, f),
    and the answer must equal the Jacobian of f at theta, reshaped to the answer's shape."""

    of: str
    target: Callable[[Case], tuple[np.ndarray, Callable[[np.ndarray], object]]]
    independent: Callable[[Case], np.ndarray] | None = None
    """The grader's own closed form of the answer, written apart from solutions/: where centred
    differences cannot judge a case (E varies faster than their step), the reference is held
    to this instead, so a check's limits are never blamed on a correct reference."""


@dataclass(frozen=True)
class IterationRuns:
    """What an iteration did on a batch of problems: whether it converged from the standard
    start, and whether any coordinate changed sign on the way."""

    converges: np.ndarray
    changes_sign: np.ndarray


@dataclass(frozen=True)
class StepSizeBound:
    """The answer is a (low, high) step-size range, checked by running the iteration (`method`,
    e.g. GD) just inside and just outside each bound.

    `run(cases, eta)` runs the iteration on each case with the step sizes `eta` (one per case);
    `monotone` says whether the range is the one with no sign change (0 < rho < 1)."""

    monotone: bool
    run: Callable[[list[Case], np.ndarray], IterationRuns]
    method: str = "GD"

    def behaves(self, cases: list[Case], eta) -> np.ndarray:
        """Per case: the iteration converges (monotonically, if that is what the range asks)."""
        runs = self.run(cases, np.asarray(eta, dtype=np.float64))
        return runs.converges & ~runs.changes_sign if self.monotone else runs.converges


@dataclass(frozen=True)
class RateCheck:
    """An answer about speed, checked by running the iteration (`method`, e.g. momentum).

    `observe(cases, answers)` is the contraction per step that runs show, one per case: at the
    case's own parameters when the answer is a rate, or at the answer's parameters when it
    claims to be the best choice. `claim(cases, answers)` is what that should equal: the
    answer itself, or the best rate. For parameters, `perturb(case, answer)` gives nearby
    choices, none of which may contract faster."""

    method: str
    observe: Callable[[list[Case], Sequence[Answer]], np.ndarray]
    claim: Callable[[list[Case], Sequence[Answer]], np.ndarray]
    perturb: Callable[[Case, Answer], Sequence[Answer]] | None = None

    @property
    def parameters(self) -> bool:
        return self.perturb is not None


@dataclass(frozen=True)
class Exercise:
    """One graded function. Adding an exercise is one of these in its assignment's list, a
    reference function of the same name in solutions/<notebook>.py and a section of its
    notebook (see README, "Adding an exercise or an assignment")."""

    name: str
    notebook: str
    points: float
    inputs: st.SearchStrategy
    args: tuple[str, ...]
    returns: Returns = Returns.ARRAY
    tuple_length: int = 0
    parts: tuple[Part, ...] = WHOLE
    is_edge: Callable[[Case], bool] | None = None
    edge_description: str = ""
    unit: Units | Callable[[Case], Units] = 0.0
    """The term sizes of the answer's entries (grader/numerics/tolerance.py): the same formula
    with absolute values and plus signs. A number, an array that broadcasts to the answer, a
    tuple of those for a tuple answer, or a function of the case giving one. 0 where the
    formula cannot cancel: then each entry is its own size."""
    allowance: float | None = None
    """The rounding forgiven, in units of the term sizes: None for the rule's ALLOWANCE; more
    for an eigenvalue that can be a double root."""
    finite_difference: FiniteDifference | None = None
    step_size_bound: StepSizeBound | None = None
    rate_check: RateCheck | None = None
    misconceptions: tuple[Misconception, ...] = ()
    regions: tuple[Region, ...] = ()
    calls: tuple[str, ...] = field(default=())
    """The earlier functions a student's version usually calls: named in feedback."""

    def call_args(self, case: Case) -> tuple:
        return tuple(case[name] for name in self.args)

    def unit_for(self, case: Case) -> Units:
        return self.unit(case) if callable(self.unit) else self.unit


@dataclass(frozen=True)
class WrittenQuestion:
    """A manually graded written answer: listed in results with status `manual`."""

    name: str
    notebook: str
    points: float
    prompt: str
