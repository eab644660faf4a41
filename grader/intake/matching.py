"""Which assignment an upload is for, from the names its files bind (nbjson.bound_names), so a
hand-in cannot be mistaken: one that defines none of the chosen assignment's functions is
refused, naming what it does define and the assignment those belong to; one that defines only
some is accepted, and the absent ones are named. Without a chosen assignment, the one whose
functions the files define is taken (else the default, as the service's contract says)."""

from __future__ import annotations

from dataclasses import dataclass

from grader import assignments
from grader.intake.files import printable
from grader.intake.uploads import Rejected

SHOWN = 8
"""Names listed in a refusal before 'and N more'."""


@dataclass(frozen=True)
class Match:
    assignment: str
    missing: tuple[str, ...]
    """The assignment's functions the upload does not define, in the assignment's order."""
    inferred: bool
    """True when the upload named no assignment and this one was found from its functions."""


def functions_of(assignment_id: str) -> tuple[str, ...]:
    return tuple(e.name for e in assignments.get(assignment_id).exercises)


def match_assignment(names: set[str], chosen: str | None) -> Match:
    """The assignment for an upload binding `names`; raises Rejected when it defines none of the
    chosen (or inferred) assignment's functions."""
    defined = {a: [f for f in functions_of(a) if f in names] for a in assignments.ids()}
    best = max(assignments.ids(), key=lambda a: len(defined[a]))
    assignment = chosen or (best if defined[best] else assignments.DEFAULT)
    if not defined[assignment]:
        raise Rejected(_none_of(assignment, names, defined))
    missing = tuple(f for f in functions_of(assignment) if f not in names)
    return Match(assignment, missing, inferred=chosen is None)


def _none_of(assignment: str, names: set[str], defined: dict[str, list[str]]) -> str:
    message = (
        f"the upload defines none of {assignment}'s functions ({_listing(list(functions_of(assignment)))})"
    )
    others = [a for a in assignments.ids() if a != assignment and defined[a]]
    if others:
        other = max(others, key=lambda a: len(defined[a]))
        return f"{message}; it defines {_listing(defined[other])}, which are {other}'s: hand it in as {other}"
    if names:
        return f"{message}; it defines only {_listing(sorted(names))}"
    return f"{message}; it defines no function at all"


def _listing(names: list[str]) -> str:
    shown = ", ".join(printable(n)[:60] for n in names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
