"""Checking an upload's graded files (nbjson.problem for each) in a child process with limits,
as the service does before it accepts them: a hostile file then costs at most CPU_SECONDS of
one core at a low priority and MEMORY bytes, and never holds the front end's event loop or its
GIL (a thread would: json.loads of 5 MiB holds the GIL throughout). The child is this Python
with -I -S running nbjson.py alone, standard library only, limits set before it reads a byte."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from grader.intake import nbjson

SCRIPT = Path(nbjson.__file__).resolve()
CPU_SECONDS = 10
MEMORY = 512 << 20
WALL_SECONDS = 30.0
"""The child's CPU limit is what bounds its cost; the wall clock only catches a child that
waits (it never should) on a machine busy enough to delay it."""


def in_process(files: Sequence[tuple[str, bytes]], max_bytes: int) -> dict[str, str]:
    """name -> why, for each file that cannot be read: the check without a child (tests, CLI)."""
    found = {name: nbjson.problem(name, data, max_bytes) for name, data in files}
    return {name: why for name, why in found.items() if why}


def in_child(files: Sequence[tuple[str, bytes]], max_bytes: int) -> dict[str, str]:
    """name -> why, for each file that cannot be read, checked in a limited child process. A
    file the child did not finish (out of time or memory) is named with the limits."""
    header = {
        "files": [[name.endswith(".ipynb"), len(data)] for name, data in files],
        "max_bytes": max_bytes,
        "memory": MEMORY,
        "cpu_seconds": CPU_SECONDS,
    }
    payload = json.dumps(header).encode() + b"\n" + b"".join(data for _, data in files)
    command = [sys.executable, "-I", "-S", str(SCRIPT)]
    try:
        done = subprocess.run(command, input=payload, capture_output=True, timeout=WALL_SECONDS)
        output = done.stdout
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        output = exc.stdout or b""
    answers = [json.loads(line) for line in output.splitlines()]
    problems: dict[str, str] = {}
    for index, (name, _) in enumerate(files):
        if index >= len(answers):
            problems[name] = (
                f"could not be read within the limits ({CPU_SECONDS} s of CPU, {MEMORY >> 20} MiB)"
            )
            break  # the child stopped on this file; the ones after it were never looked at
        if answers[index]:
            problems[name] = str(answers[index])
    return problems
