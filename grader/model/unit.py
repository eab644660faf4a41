"""What the runner executes: one file of a submission as code cells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One file of a submission as the worker runs it: a notebook's code cells, or a .py file."""

    name: str
    cells: tuple[str, ...]
    notebook: bool
