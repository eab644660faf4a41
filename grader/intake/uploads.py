"""Files a student uploads (the grading service's form and API), read as hostile input, in memory:
each name is reduced to a plain file name and checked, each file and all of them together stay
within the submission's budget, a .zip is unpacked by the hardened archive reader, and every
notebook must parse. Anything refused is named with the reason, so the upload can be answered
with a clear error before anything is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.intake.archives import unpack
from grader.intake.files import Budget, Received, printable
from grader.intake.notebooks import UnreadableSubmission, unit_from_bytes
from grader.intake.submissions import SHIPPED, SUFFIXES

ARCHIVE = ".zip"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.()+-]{0,99}")
"""An uploaded file's name: letters, digits, space and `_.()+-`, at most 100 characters."""


@dataclass(frozen=True)
class Upload:
    """What was accepted of one upload: the files (name -> bytes) and the graded names."""

    files: dict[str, bytes]
    graded: tuple[str, ...]


class Rejected(Exception):
    """The upload is refused; the message names every file refused and why."""


def plain_name(raw: str) -> str:
    """The file name a browser or client sent, without any folder part (some browsers send the
    full path); raises Rejected when it is not a plain, printable name."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not NAME.fullmatch(name) or name in (".", ".."):
        raise Rejected(
            f"{printable(raw)[:120]!r}: a file name may hold only letters, digits, spaces and _.()+- "
            "(at most 100 characters, not starting with a dot)"
        )
    return name


def graded_names(files: dict[str, bytes]) -> tuple[str, ...]:
    return tuple(sorted(n for n in files if n.endswith(SUFFIXES) and n.rsplit("/", 1)[-1] not in SHIPPED))


def receive_uploads(uploads: list[tuple[str, bytes]], budget: Budget) -> Upload:
    """Check and unpack one submission's uploaded files; raises Rejected naming what is wrong."""
    if not uploads:
        raise Rejected("no file was uploaded (send one or more .ipynb, .py or .zip files as `file`)")
    received = Received()
    problems: list[str] = []
    used = 0
    for raw, data in uploads:
        try:
            name = plain_name(raw)
        except Rejected as exc:
            problems.append(str(exc))
            continue
        if not name.endswith((*SUFFIXES, ARCHIVE)):
            problems.append(f"{name}: not a notebook (.ipynb), Python file (.py) or .zip")
        elif name in received.files:
            problems.append(f"{name}: uploaded twice")
        elif len(received.files) >= budget.files:
            problems.append(f"{name}: more than {budget.files} files")
        elif not name.endswith(ARCHIVE) and len(data) > budget.file_bytes:
            problems.append(f"{name}: {len(data)} bytes, more than the {budget.file_bytes}-byte limit")
        elif used + len(data) > budget.total_bytes:
            problems.append(f"{name}: the upload passes the {budget.total_bytes}-byte limit")
        else:
            received.files[name] = data
            used += len(data)
    expand_archives(received, budget)
    problems += received.problems()
    for name in graded_names(received.files):
        try:
            unit_from_bytes(name, received.files[name])
        except UnreadableSubmission as exc:
            problems.append(str(exc))
    graded = graded_names(received.files)
    if not problems and not graded:
        problems.append("the upload holds no notebook or .py file to grade")
    if problems:
        raise Rejected("; ".join(problems))
    return Upload(dict(sorted(received.files.items())), graded)


def expand_archives(received: Received, budget: Budget) -> None:
    """Replace each .zip among the received files by its contents (under the archive's name
    without .zip), all within one budget."""
    used = sum(len(data) for data in received.files.values())
    for name in sorted(n for n in received.files if n.endswith(ARCHIVE)):
        data = received.files.pop(name)
        used = unpack(name, data, budget, received, used - len(data))
