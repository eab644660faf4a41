"""A student's submission in a sandbox (a grader.run.runner.Runner): load it once, call its
functions in batches, restart a fresh process (same student, never another) when one dies or
hangs, and clean up everything.

Each outcome is one of ('ok', answer), ('error', message), ('timeout', message),
('crash', message); the session never raises because of what the student's code did.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping, Sequence

from grader.model.unit import Unit
from grader.run import scratch
from grader.run.runner import Call, LoadReport, Outcome, Prepared
from grader.run.sandbox import harden
from grader.run.sandbox.limits import Limits
from grader.run.sandbox.process import WorkerGone, WorkerProcess, WorkerTimeout
from grader.run.sandbox.spares import SANDBOX_PREFIX, Spare
from grader.run.sandbox.wire import Numbers, ProtocolError, call_frame, decode_answer, reply_elements, text

LOAD_REPLY_ELEMENTS = 20_000
"""JSON values a load reply may hold: the names it defines, 50 cell errors and the layers."""


class SandboxSession:
    def __init__(
        self,
        units: list[Unit],
        files: Mapping[str, bytes],
        names: list[str],
        limits: Limits | None = None,
        spare: Spare | None = None,
    ) -> None:
        """`files`: the submission's files by relative name, written into the sandbox's private
        folder. `spare`: a process started ahead for this submission
        (grader/run/sandbox/spares.py); it serves the first start only, a restart always starts
        a new process."""
        self.units = units
        self.files = files
        self.names = names
        self.limits = limits = limits or Limits()
        self.spare = spare
        self.workdir = spare.workdir if spare else scratch.folder(SANDBOX_PREFIX)
        self.deadline = time.monotonic() + limits.submission_seconds
        self.worker: WorkerProcess | None = None
        self.report: LoadReport | None = None
        self.restarts = 0
        self.printed = 0
        """Characters the submission printed (as its worker counts them); never kept."""

    def __enter__(self) -> SandboxSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._stop_worker()
        if self.spare is not None:  # never started: the folder is ours, removed below
            self.spare.worker.close()
            self.spare = None
        scratch.remove(self.workdir)

    def load(self) -> LoadReport:
        """Start a worker and run the submission; the first report is the one that counts."""
        report = self._start()
        if self.report is None:
            self.report = report
        return report

    def _start(self) -> LoadReport:
        self._stop_worker()
        spare, self.spare = self.spare, None
        if spare is not None and spare.alive():
            self._write_files()
            worker = spare.worker
        else:
            if spare is not None:
                spare.worker.close()
            self._prepare_workdir()
            worker = WorkerProcess(self.workdir / "work")
        self.worker = worker
        hello = {
            "workdir": str(self.workdir / "work"),
            "units": [{"name": u.name, "cells": list(u.cells), "notebook": u.notebook} for u in self.units],
            "names": self.names,
            "cell_timeout": self.limits.cell_seconds,
            "call_timeout": self.limits.call_seconds,
            "load_timeout": self.limits.load_seconds,
            "harden": harden.confinement(self.limits, self.workdir / "work"),
        }
        grace = self.limits.cell_seconds + 5.0
        deadline = min(self.deadline, time.monotonic() + self.limits.load_seconds + grace)
        try:
            worker.send(hello, deadline)
            reply = worker.receive(deadline, LOAD_REPLY_ELEMENTS)
            self._count_printed(reply)
            return _load_report(reply)
        except WorkerTimeout:
            self._stop_worker()
            return LoadReport(
                failure=f"loading the submission took longer than {self.limits.load_seconds:g} s",
                timed_out=True,
            )
        except (WorkerGone, ProtocolError) as exc:
            self._stop_worker()
            return LoadReport(failure=f"the submission could not be loaded: {text(str(exc))}")

    def ask(self, call: Call, cases: Sequence[tuple]) -> list[Outcome]:
        """Outcomes for a batch of argument tuples; shorter than `cases` after a timeout."""
        frame = call_frame(call.name, call.returns, call.length, list(cases))
        return self._exchange(call, frame, len(cases))

    def ask_prepared(self, prepared: Prepared) -> list[Outcome]:
        """Like `ask`, with the request built once by SandboxRunners.prepare."""
        return self._exchange(prepared.call, prepared.payload, prepared.count)

    def _exchange(self, call: Call, frame: bytes, count: int) -> list[Outcome]:
        name, returns, length = call.name, call.returns, call.length
        if time.monotonic() >= self.deadline:  # before a restart: a spent budget starts nothing
            return [("timeout", f"the submission used up its {self.limits.submission_seconds:g} s budget")]
        if self.worker is None:
            self.restarts += 1
            report = self._start()
            if report.failure:
                kind = "timeout" if report.timed_out else "crash"
                return [(kind, report.failure)]
        deadline = min(self.deadline, time.monotonic() + self.limits.batch_seconds)
        assert self.worker is not None
        call_limit = self.limits.call_seconds + self.limits.call_grace_seconds
        try:
            self.worker.send_bytes(frame, deadline)
            reply = self.worker.receive(deadline, reply_elements(count), call_limit, count)
        except WorkerTimeout:
            self._stop_worker()
            if time.monotonic() < deadline - 0.05:  # a single call ran out, held from outside
                return [("timeout", f"a call of {name} did not return within {self.limits.call_seconds:g} s")]
            return [("timeout", f"{name} did not finish within {self.limits.batch_seconds:g} s")]
        except WorkerGone as exc:
            message = f"{name} crashed: {text(str(exc))}"
            self._stop_worker()
            return [("crash", message)]
        self._count_printed(reply)
        return _outcomes(reply, returns, length, count, name, self.limits)

    def _count_printed(self, reply: dict) -> None:
        printed = reply.get("printed")
        if type(printed) is int and printed > self.printed:
            self.printed = printed

    def _prepare_workdir(self) -> None:
        """A fresh private folder holding the submission's files."""
        work = self.workdir / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        self._write_files()

    def _write_files(self) -> None:
        """Write the submission's files (already read and checked by grader/intake/) into the
        private folder, never through a link and never outside it."""
        work = self.workdir / "work"
        for name, data in self.files.items():
            parts = name.split("/")
            if any(p in ("", ".", "..") or "\x00" in p for p in parts):
                continue
            folder = work
            try:
                for part in parts[:-1]:
                    folder = folder / part
                    if not folder.is_dir():
                        os.mkdir(folder, 0o755)
            except OSError:
                continue  # a file already stands where a folder is needed
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            try:
                fd = os.open(folder / parts[-1], flags, 0o644)
            except OSError:
                continue  # a name given twice, or a folder of that name: the first one stays
            with os.fdopen(fd, "wb") as out:
                out.write(data)

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


def _load_report(reply: dict) -> LoadReport:
    defined, errors = reply.get("defined"), reply.get("errors")
    if not isinstance(defined, list) or not isinstance(errors, list):
        raise ProtocolError("malformed load reply")
    raw_layers = reply.get("layers")
    if not isinstance(raw_layers, dict):
        raw_layers = {}
    layers = {text(k): v for k, v in raw_layers.items() if isinstance(v, (bool, int, str))}
    report = LoadReport(defined={text(n) for n in defined}, layers=layers)
    for item in errors[:50]:
        if isinstance(item, dict):
            report.cell_errors.append((text(item.get("where")), text(item.get("error"))))
    return report


def _outcomes(reply: dict, returns: str, length: int, count: int, name: str, limits) -> list[Outcome]:
    raw = reply.get("outcomes")
    if not isinstance(raw, list) or len(raw) > count:
        return [("crash", f"{name}: malformed reply from the sandbox")]
    try:
        numbers = Numbers(reply.get("numbers", b""))
    except ProtocolError:
        return [("crash", f"{name}: malformed reply from the sandbox")]
    outcomes: list[Outcome] = []
    for item in raw:
        if not isinstance(item, dict) or len(item) != 1:
            outcomes.append(("error", "malformed reply from the sandbox"))
        elif "ok" in item:
            try:
                outcomes.append(("ok", decode_answer(item["ok"], returns, length, numbers)))
            except ProtocolError as exc:
                outcomes.append(("error", f"unusable answer: {exc}"))
        elif "error" in item:
            outcomes.append(("error", text(item["error"])))
        elif "timeout" in item:
            outcomes.append(("timeout", f"{name} did not return within {limits.call_seconds:g} s"))
        else:
            outcomes.append(("error", "malformed reply from the sandbox"))
    if not numbers.finished():  # shapes and numbers disagree: no answer can be placed for sure
        return [("crash", f"{name}: malformed reply from the sandbox")]
    return outcomes
