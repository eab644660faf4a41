"""Hardening of the sandbox, in one module: the command that starts a worker, its scrubbed
environment, the confinement it applies to itself before student code runs, and the cleanup
after it. Everything else in the grader treats the sandbox as a black box."""

from __future__ import annotations

import os
import sysconfig
from dataclasses import asdict
from pathlib import Path

from grader.sandbox.limits import Limits

CONFINE_SOURCE = (Path(__file__).parent / "confine.py").read_text(encoding="utf-8")
PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
"""Kept because some processors need them for OpenBLAS to compute correctly; not secrets."""


def command(argv: list[str]) -> list[str]:
    """The argv that starts a worker; wrappers (namespaces) are added here."""
    return argv


def environment(workdir: Path) -> dict[str, str]:
    """A fresh environment: nothing of the instructor's, no tokens, one BLAS thread."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    env.update({k: os.environ[k] for k in PASSED_THROUGH if k in os.environ})
    return env


def import_paths() -> list[str]:
    """Where the worker finds numpy and the other installed packages (it runs with -I -S)."""
    import numpy

    paths = [str(Path(numpy.__file__).resolve().parent.parent)]
    for key in ("purelib", "platlib"):
        path = sysconfig.get_paths()[key]
        if path not in paths:
            paths.append(path)
    return paths


def confinement(limits: Limits) -> dict:
    """What the worker executes on itself before any student code."""
    return {"source": CONFINE_SOURCE, "config": asdict(limits)}


def reap(pid: int) -> None:
    """Kill whatever the worker left behind; its process group is already gone."""
