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
from dataclasses import dataclass, field
from pathlib import Path

from grader.intake import nbjson

SCRIPT = Path(nbjson.__file__).resolve()
CPU_SECONDS = 10
MEMORY = 512 << 20
WALL_SECONDS = 30.0
"""The child's CPU limit is what bounds its cost; the wall clock only catches a child that
waits (it never should) on a machine busy enough to delay it."""


@dataclass
class Checked:
    """What checking the graded files found: why each unreadable one cannot be read, and the
    names each readable one binds at its top level (nbjson.bound_names)."""

    problems: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, answer: object) -> None:
        if isinstance(answer, list):
            self.names[name] = [str(n) for n in answer]
        else:
            self.problems[name] = str(answer)


def in_process(files: Sequence[tuple[str, bytes]], max_bytes: int) -> Checked:
    """The check without a child (tests, CLI)."""
    checked = Checked()
    for name, data in files:
        checked.add(name, nbjson.examine(name, data, max_bytes))
    return checked


def in_child(files: Sequence[tuple[str, bytes]], max_bytes: int) -> Checked:
    """The check in a limited child process. A file the child did not finish (out of time or
    memory) is named with the limits."""
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
    checked = Checked()
    for index, (name, _) in enumerate(files):
        if index >= len(answers):
            checked.add(
                name, f"could not be read within the limits ({CPU_SECONDS} s of CPU, {MEMORY >> 20} MiB)"
            )
            break  # the child stopped on this file; the ones after it were never looked at
        checked.add(name, answers[index])
    return checked
