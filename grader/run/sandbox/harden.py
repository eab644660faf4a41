"""Hardening of the sandbox, in one module: the command that starts a worker (namespaces), its
scrubbed environment, the confinement it applies to itself before student code runs
(grader/run/sandbox/confine.py), and the description of the layers (grader/run/sandbox/doctor.py
reports which are in force).
Each layer is detected, used when present and reported plainly when missing."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.run.sandbox.limits import Limits

CONFINE_SOURCE = (Path(__file__).parent / "confine.py").read_text(encoding="utf-8")
PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
"""Kept because some processors need them for OpenBLAS to compute correctly; not secrets."""
SYSTEM_READ_PATHS = (
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/etc/ld.so.cache",
    "/dev/null",
    "/dev/zero",
    "/dev/urandom",
)
NAMESPACE_WRAPPER = ("--net", "--pid", "--fork", "--mount-proc", "--kill-child")
"""Network, PID and mount namespaces (--mount-proc makes the mount namespace)."""
USER_NAMESPACE = ("--user", "--map-root-user")
"""For an ordinary user: a user namespace mapped to the caller first, in which the others may be
made (the worker is "root" only inside it, over nothing but its own namespaces)."""


@dataclass(frozen=True)
class Namespaces:
    """How workers get their namespaces here: the unshare arguments, or why there are none."""

    wrapper: tuple[str, ...] | None
    detail: str


@functools.cache
def namespaces() -> Namespaces:
    """The first form of `unshare` that works here: as root, network, PID and mount namespaces;
    as any user, those inside a user namespace mapped to the caller. Otherwise, precisely why."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return Namespaces(None, "unshare is not installed (Debian's util-linux)")
    failures = []
    forms: list[tuple[str, tuple[str, ...]]] = [("as root", NAMESPACE_WRAPPER)] if os.geteuid() == 0 else []
    forms.append(("in a user namespace mapped to the caller", USER_NAMESPACE + NAMESPACE_WRAPPER))
    for how, form in forms:
        try:
            probe = subprocess.run([unshare, *form, "true"], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError) as exc:
            failures.append(str(exc))
            continue
        if probe.returncode == 0:
            return Namespaces((unshare, *form), how)
        failures.append(
            probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else f"exit {probe.returncode}"
        )
    return Namespaces(None, _why_no_user_namespaces() or "; ".join(failures))


def _why_no_user_namespaces(proc_sys: Path = Path("/proc/sys"), euid: int | None = None) -> str | None:
    """The kernel setting that forbids unprivileged user namespaces, if one does."""
    if (os.geteuid() if euid is None else euid) == 0:
        return None
    for name, bad, what in (
        ("kernel/unprivileged_userns_clone", "0", "kernel.unprivileged_userns_clone = 0"),
        ("user/max_user_namespaces", "0", "user.max_user_namespaces = 0"),
        (
            "kernel/apparmor_restrict_unprivileged_userns",
            "1",
            "AppArmor restricts them (kernel.apparmor_restrict_unprivileged_userns = 1)",
        ),
    ):
        try:
            if (proc_sys / name).read_text().strip() == bad:
                return f"this kernel forbids unprivileged user namespaces: {what}"
        except OSError:
            continue
    return None


def namespaces_available() -> bool:
    return namespaces().wrapper is not None


def command(argv: list[str]) -> list[str]:
    """The argv that starts a worker: inside fresh network, PID and mount namespaces when
    possible (in a user namespace of its own for an ordinary user), so it has no network and
    every process it could start dies with it; and, through `setpriv --pdeathsig`, killed
    when the grader's thread that started it dies (a grading worker SIGKILLed, say), rather
    than left running until its CPU limit. Workers are started from the thread that uses them."""
    wrapper = namespaces().wrapper
    inner = [*wrapper, "--", *argv] if wrapper else argv
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", *inner] if setpriv else inner


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


def read_paths() -> list[str]:
    """The Python runtime and its packages, never the folder the grader was started from."""
    runtime = [sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib")]
    runtime.append(str(Path(sys.base_prefix) / "lib"))
    runtime.append(str(Path(sys.executable).resolve().parent))
    return sorted(
        {str(Path(p).resolve()) for p in runtime + import_paths() if Path(p).exists()}
        | {p for p in SYSTEM_READ_PATHS if Path(p).exists()}
    )


@functools.cache
def libraries() -> dict[str, str]:
    """Shared libraries the confinement loads, resolved once here (find_library forks)."""
    import ctypes.util

    found = {name: ctypes.util.find_library(name) for name in ("c", "seccomp")}
    return {name: path for name, path in found.items() if path}


def confinement(limits: Limits, workdir: Path) -> dict:
    """What the worker executes on itself before any student code."""
    config = asdict(limits) | {
        "read_paths": read_paths(),
        "write_paths": [str(workdir)],
        "libraries": libraries(),
        "mount_namespace": namespaces_available(),
    }
    return {"source": CONFINE_SOURCE, "config": config}


@dataclass(frozen=True)
class Layer:
    name: str
    active: bool
    detail: str
    without: str
    """What an instructor loses when this layer is missing."""


def describe(layers: dict, namespaces: Namespaces, zygote: tuple[bool, str] = (False, "")) -> list[Layer]:
    """`zygote`: whether sandboxes are forked from a zygote here, and how or why not."""
    landlock = layers.get("landlock") or 0
    forked = bool(layers.get("zygote")) and zygote[0]
    return [
        Layer(
            "separate process",
            True,
            "a child forked per submission, never reused, by a zygote holding nobody's data"
            if forked
            else "python -I -S in a fresh subprocess per submission",
            "",
        ),
        Layer("scrubbed environment", True, "no inherited variables or tokens", ""),
        Layer("private working directory", True, "a temporary copy of the submission", ""),
        Layer(
            "disk quota",
            bool(layers.get("quota")),
            f"its folder is a {int(layers.get('quota') or 0) >> 20} MiB tmpfs in its own mount namespace"
            if layers.get("quota")
            else str(layers.get("quota_error", "no mount namespace")),
            "a submission could fill the disk with many files (each still capped at the file-size limit)",
        ),
        Layer(
            "resource limits",
            bool(layers.get("rlimits")),
            "CPU, memory, file size, open files",
            "a submission could exhaust memory or disk",
        ),
        Layer(
            "Landlock",
            bool(landlock),
            f"ABI {landlock}: read-only runtime, writes only in its own folder"
            + (", no TCP" if landlock >= 4 else "")
            + (", scoped signals" if landlock >= 6 else "")
            if landlock
            else layers.get("landlock_error", "kernel without Landlock (needs Linux 5.13+)"),
            "student code could read files the grader's user can read, e.g. the reference",
        ),
        Layer(
            "capabilities dropped",
            bool(layers.get("capabilities")),
            "every capability dropped (root's, or its user namespace's)",
            "as root, student code could raise its own limits",
        ),
        Layer(
            "seccomp",
            bool(layers.get("seccomp")),
            "no fork, exec, sockets, ptrace or namespaces"
            if layers.get("seccomp")
            else layers.get("seccomp_error", "pyseccomp or libseccomp missing"),
            "student code could start processes and open sockets",
        ),
        Layer(
            "namespaces",
            namespaces.wrapper is not None,
            f"empty network, PID and mount namespaces, {namespaces.detail}"
            if namespaces.wrapper
            else namespaces.detail,
            "no network isolation beyond Landlock/seccomp; /proc shows other processes",
        ),
        Layer(
            "fork server",
            forked,
            zygote[1] + ("; each child makes its own PID, network and mount namespaces" if forked else ""),
            "each submission pays a fresh interpreter and numpy import (about 130 ms of CPU); "
            "the confinement is the same",
        ),
    ]
