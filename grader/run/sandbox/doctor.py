"""`grader doctor`'s evidence: start one sandbox with no student code and ask it which
confinement layers took effect on this machine."""

from __future__ import annotations

import functools

from grader.model.unit import Unit
from grader.run.sandbox.harden import Layer, describe, namespaces
from grader.run.sandbox.session import SandboxSession


@functools.cache
def probe() -> tuple[Layer, ...]:
    with SandboxSession([Unit("probe.py", ("",), False)], {}, []) as session:
        report = session.load()
    return tuple(describe(report.layers, namespaces()))
