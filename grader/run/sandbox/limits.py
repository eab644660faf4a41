"""The sandbox's limits, in one place. Times are seconds, sizes bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 2.0
    """Wall time of one call of a student function: an alarm inside the sandbox, and held from
    outside too (the worker reports each call's start), with call_grace_seconds more."""
    call_grace_seconds: float = 1.0
    batch_seconds: float = 20.0
    """Wall time of one function's whole batch of cases, enforced from outside."""
    cell_seconds: float = 10.0
    """Wall time of one notebook cell while the submission loads."""
    load_seconds: float = 30.0
    """Wall time of loading the whole submission (all cells)."""
    submission_seconds: float = 120.0
    """Wall time of everything one submission may take, restarts included."""
    cpu_seconds: int = 120
    """CPU time of one sandbox process (RLIMIT_CPU)."""
    memory_bytes: int = 1 << 30
    """Address space of one sandbox process (RLIMIT_AS)."""
    file_bytes: int = 8 << 20
    """Largest file the sandbox may write (RLIMIT_FSIZE)."""
    disk_bytes: int = 64 << 20
    """Everything the sandbox's folder may hold: it is a tmpfs of this size, mounted in the
    worker's own mount namespace before any student code runs."""
    open_files: int = 64
    """RLIMIT_NOFILE."""
