"""Files a student uploads (the grading service's form and API), read as hostile input, in memory:
each name is reduced to a plain file name and checked, each file and all of them together stay
within the submission's budget, a .zip is unpacked by the hardened archive reader (its member
names held to the same rule), and only then, when all of that passed, is every notebook parsed:
refusing an upload costs little unless it is well-formed enough to be worth parsing. Anything
refused is named with the reason, so the upload can be answered with a clear error before
anything is stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from grader.intake.archives import unpack
from grader.intake.checking import Checked, in_process
from grader.intake.files import NAME, NAME_RULE, Budget, Received, printable
from grader.intake.submissions import SHIPPED, SUFFIXES

ARCHIVE = ".zip"


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
        raise Rejected(f'"{printable(raw)[:120]}": {NAME_RULE}')
    return name


def graded_names(files: dict[str, bytes]) -> tuple[str, ...]:
    return tuple(sorted(n for n in files if n.endswith(SUFFIXES) and n.rsplit("/", 1)[-1] not in SHIPPED))


Check = Callable[[Sequence[tuple[str, bytes]], int], Checked]
"""How graded files are checked: (name, bytes) pairs and the per-file limit -> what was found
(checking.in_process, or checking.in_child in the service)."""
SHOWN_PROBLEMS = 10
"""An error lists this many problems, then says how many more: a zip of 2,000 bad names gets a
short answer, not a long one."""


def screen_uploads(uploads: list[tuple[str, bytes]], budget: Budget) -> Upload:
    """The cheap checks of an upload, all made before any file is parsed: names, types, sizes
    and count, then the archives' member names and sizes as they are unpacked. Raises Rejected
    at the first stage that finds a problem, so a refused upload costs no more than that stage."""
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
    _refuse_if(problems)
    expand_archives(received, budget)
    _refuse_if(received.problems())
    graded = graded_names(received.files)
    _refuse_if([] if graded else ["the upload holds no notebook or .py file to grade"])
    return Upload(dict(sorted(received.files.items())), graded)


def check_graded(upload: Upload, budget: Budget, check: Check = in_process) -> set[str]:
    """Parse every graded file of a screened upload (`check` decides where: in this process or
    in a limited child); raises Rejected naming each file that cannot be read and why; else the
    names the files bind at their top level."""
    found = check([(name, upload.files[name]) for name in upload.graded], budget.file_bytes)
    _refuse_if([f"{printable(name)}: {why}" for name, why in found.problems.items()])
    return {n for names in found.names.values() for n in names}


def receive_uploads(uploads: list[tuple[str, bytes]], budget: Budget, check: Check = in_process) -> Upload:
    """Check and unpack one submission's uploaded files; raises Rejected naming what is wrong."""
    upload = screen_uploads(uploads, budget)
    check_graded(upload, budget, check)
    return upload


def _refuse_if(problems: list[str]) -> None:
    if len(problems) > SHOWN_PROBLEMS:
        problems = [*problems[:SHOWN_PROBLEMS], f"and {len(problems) - SHOWN_PROBLEMS} more problems"]
    if problems:
        raise Rejected("; ".join(problems))


def expand_archives(received: Received, budget: Budget) -> None:
    """Replace each .zip among the received files by its contents (under the archive's name
    without .zip), all within one budget."""
    used = sum(len(data) for data in received.files.values())
    for name in sorted(n for n in received.files if n.endswith(ARCHIVE)):
        data = received.files.pop(name)
        used = unpack(name, data, budget, received, used - len(data))
