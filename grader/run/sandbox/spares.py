"""Sandbox processes started one submission ahead: while one student is graded, the next
student's process is already starting Python and importing numpy (most of a sandbox's start-up
time). A spare serves exactly one student and is never reused: it is started before it knows
whom it will serve, with nothing of anyone's in it, and gets its student's files and code only
when it is taken."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.run import scratch
from grader.run.sandbox.process import WorkerProcess

SANDBOX_PREFIX = "grader-sandbox-"
"""Sandbox folders in TMPDIR (grader/run/scratch.py: a killed worker's are swept)."""


@dataclass
class Spare:
    workdir: Path
    """The private temporary folder of the session that takes it; `work/` is its cwd."""
    worker: WorkerProcess

    def alive(self) -> bool:
        return self.worker.popen.poll() is None

    def discard(self) -> None:
        self.worker.close()
        scratch.remove(self.workdir)


def start_spare() -> Spare:
    workdir = scratch.folder(SANDBOX_PREFIX)
    (workdir / "work").mkdir()
    return Spare(workdir, WorkerProcess(workdir / "work"))


class SpareWorkers:
    """Hands out one started process per submission and starts the next one at once."""

    def __init__(self) -> None:
        self._next: Spare | None = None

    def prime(self) -> None:
        """Start the next submission's process now (say, while a grading worker is idle)."""
        if self._next is None:
            self._next = start_spare()

    def take(self) -> Spare:
        """A started process for this submission (the session checks it is still alive), and
        the next submission's started now."""
        spare, self._next = self._next or start_spare(), start_spare()
        return spare

    def close(self) -> None:
        if self._next is not None:
            self._next.discard()
            self._next = None
