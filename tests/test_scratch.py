"""Temporary folders that a killed process leaves are swept (grader/run/scratch.py): a folder
is removed only when its owner is dead, it is this user's, it is not a link and not new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.run import scratch

PREFIX = f"grader-scratch-test-{os.getpid()}-"
LATER = 3600.0


def made_by_a_killed_process() -> Path:
    script = (
        "import sys, time\n"
        "from grader.run import scratch\n"
        f"print(scratch.folder({PREFIX!r}), flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    path = Path(child.stdout.readline().strip())
    assert path.is_dir() and (path / scratch.LOCK).exists()
    assert scratch.sweep(PREFIX, now=time.time() + LATER) == [], "its owner is alive"
    child.send_signal(signal.SIGKILL)
    child.wait()
    return path


def test_a_killed_process_folder_is_swept_and_nothing_else(tmp_path):
    dead = made_by_a_killed_process()
    (dead / "work").mkdir()
    (dead / "work" / "answer.py").write_text("x = 1\n")
    mine = scratch.folder(PREFIX)
    unlocked = Path(tempfile.gettempdir(), PREFIX + "no-lock")  # made by something else
    link = Path(tempfile.gettempdir(), PREFIX + "link")
    target = tmp_path / "target"
    target.mkdir()
    try:
        unlocked.mkdir()
        link.symlink_to(target)
        assert scratch.sweep(PREFIX) == [], "too new to judge"
        assert scratch.sweep(PREFIX, now=time.time() + LATER) == [dead]
        assert not dead.exists() and mine.is_dir() and unlocked.is_dir() and target.is_dir()
    finally:
        scratch.remove(mine)
        if unlocked.is_dir():
            unlocked.rmdir()
        link.unlink(missing_ok=True)
    assert not mine.exists()
