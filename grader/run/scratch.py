"""Private temporary folders that do not outlive a killed process for long.

Each folder made here holds an exclusive flock on a file of its own (`.owner`, beside the
sandbox's `work/`, which the sandbox cannot reach) for as long as its process lives; the kernel
drops the lock when the process dies, however it dies. `sweep` removes the folders of a prefix
whose lock is free: those of a worker that was SIGKILLed or lost its machine, which would
otherwise stay in TMPDIR (a worker's copy of the reference among them). Only folders this user
owns are touched, never through a link, and never one younger than YOUNGEST (made, not yet
locked)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

LOCK = ".owner"
YOUNGEST = 10.0
"""Seconds a folder must have existed before a sweep may judge it."""

_held: dict[Path, int] = {}
"""This process's folders and the descriptors holding their locks."""


def folder(prefix: str) -> Path:
    """A new private folder (mode 0700), locked by this process until `remove`."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    descriptor = os.open(path / LOCK, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    _held[path] = descriptor
    return path


def remove(path: Path) -> None:
    """Delete a folder made by `folder` and let go of its lock."""
    shutil.rmtree(path, ignore_errors=True)
    descriptor = _held.pop(path, None)
    if descriptor is not None:
        os.close(descriptor)


def sweep(prefix: str, now: float | None = None) -> list[Path]:
    """Remove the folders `folder(prefix)` made for processes that are gone; returns them."""
    now = time.time() if now is None else now
    removed = []
    for entry in os.scandir(tempfile.gettempdir()):
        if not entry.name.startswith(prefix):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or now - info.st_mtime < YOUNGEST:
            continue
        path = Path(entry.path)
        if path in _held or not _owner_gone(path):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _owner_gone(path: Path) -> bool:
    """True when the folder's lock file exists and no process holds its lock."""
    try:
        descriptor = os.open(path / LOCK, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False  # no lock file: not ours to judge
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: its process is alive
    finally:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    return True
