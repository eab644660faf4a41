"""The decision tree of an exercise's shrinks (see grader/judge/shrink.py): each node is a probe (a
case and the reference's answer to it), each branch a verdict, each leaf the index of the probe
whose failure a shrink ends on. It lives in the grader's process only; the sandbox sees cases
one at a time, exactly as Hypothesis would send them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from grader.judge.checks import Expected
from grader.model.exercise import Answer, Case, Units

MAX_PROBES = 10_000
"""Memory bound per exercise (a probe is about 1 KB; one shrink adds at most 150): past it the
tree stops growing, and a submission that leaves it is simply shrunk afresh."""


@dataclass(frozen=True)
class Probe:
    case: Case
    expected: Answer
    unit: Units
    judged: Expected | None = field(default=None, compare=False, repr=False)
    """The expected side of the probe's check, computed once for every submission that walks it."""


@dataclass(frozen=True)
class End:
    """Where a shrink stopped: the answer is the failure of probe `result` on the path (None:
    no failure held up)."""

    result: int | None


@dataclass
class _Node:
    probe: Probe
    after: dict[bool, _Node | End] = field(default_factory=dict)


def same_case(first: Case, second: Case) -> bool:
    """Bit for bit the same arguments (so 0.0 and -0.0 differ, as they may for student code)."""
    if first.keys() != second.keys():
        return False
    for name, value in first.items():
        other = second[name]
        if type(value) is not type(other):
            return False
        a, b = np.asarray(value), np.asarray(other)
        if a.shape != b.shape or a.dtype != b.dtype or a.tobytes() != b.tobytes():
            return False
    return True


class ProbeTree:
    def __init__(self) -> None:
        self.root: _Node | None = None
        self.size = 0
        self.stored: set[str] = set()
        """The names of the stored paths already in the tree (grader/plan/shrinks.py)."""

    def walk(self, verdict: Callable[[Probe], bool]) -> End | None:
        """Follow the verdicts from the root. The leaf reached, or None when the tree has no
        branch for a verdict (every probe asked so far was still a real call)."""
        node = self.root
        while node is not None:
            following = node.after.get(verdict(node.probe))
            if isinstance(following, End):
                return following
            node = following
        return None

    def insert(self, path: list[tuple[Probe, bool]], result: int | None) -> None:
        """Add one shrink's probes and verdicts, ending at `result`."""
        if not path or self.size + len(path) > MAX_PROBES:
            return
        if self.root is None or not same_case(self.root.probe.case, path[0][0].case):
            self.root = self._new(path[0][0])
        node = self.root
        for index, (_, verdict) in enumerate(path):
            if index + 1 == len(path):
                node.after[verdict] = End(result)
                return
            following = node.after.get(verdict)
            upcoming = path[index + 1][0]
            if not isinstance(following, _Node) or not same_case(following.probe.case, upcoming.case):
                following = node.after[verdict] = self._new(upcoming)
            node = following

    def _new(self, probe: Probe) -> _Node:
        self.size += 1
        return _Node(probe)
