"""The sandbox as a grader.run.runner.Runners: requests prepared once per run, and one session
per submission, its process started ahead of time when a batch keeps spares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grader.model.unit import Unit
from grader.run.runner import Call, Prepared
from grader.run.sandbox.limits import Limits
from grader.run.sandbox.session import SandboxSession
from grader.run.sandbox.spares import SpareWorkers
from grader.run.sandbox.wire import call_frame


class SandboxRunners:
    def __init__(self, limits: Limits | None = None, spares: SpareWorkers | None = None) -> None:
        self.limits = limits or Limits()
        self.spares = spares

    def prepare(self, call: Call, cases: Sequence[tuple]) -> Prepared:
        return Prepared(call, len(cases), call_frame(call.name, call.returns, call.length, list(cases)))

    def open(self, units: list[Unit], files: Mapping[str, bytes], names: list[str]) -> SandboxSession:
        spare = self.spares.take() if self.spares else None
        return SandboxSession(units, files, names, self.limits, spare)
