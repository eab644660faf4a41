"""The options of a grading run, typed and documented in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.explain.feedback import Reveal
from grader.intake.files import Budget
from grader.plan.cases import DEFAULT_CASES, DEFAULT_SEED
from grader.run.sandbox.limits import Limits


@dataclass(frozen=True)
class Options:
    seed: int = DEFAULT_SEED
    """The assignment seed: the same seed gives the same cases, scores and feedback."""
    cases: int = DEFAULT_CASES
    """Random cases per function."""
    reveal: Reveal = Reveal.SHAPES
    """What feedback may show (grader/explain/feedback.py)."""
    limits: Limits = field(default_factory=Limits)
    """The sandbox's limits (grader/run/sandbox/limits.py)."""
    budget: Budget = field(default_factory=Budget)
    """What one submission may bring in (grader/intake/files.py)."""
    carry_forward: bool = False
    """Give full marks to a chained function that is wrong only because an earlier one is."""
    use_cache: bool = True
    """Read and write the generated cases in the case cache ($GRADER_CACHE): faster, but anything
    that can write there as the instructor's user (an nbgrader kernel) can change the cases."""
    shared_shrinks: bool = True
    """Walk earlier submissions' shrinks (grader/judge/probe_tree.py) instead of shrinking again:
    faster, and by construction the same results. With `use_cache`, the shrinks are shared with
    other workers and runs through the case cache (grader/plan/shrinks.py)."""
