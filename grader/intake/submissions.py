"""Finding submissions under the paths an instructor names, grouped as SPEC section 5 says.

nbgrader's layout, `<root>/.../submitted/<student>/<assignment>/`, gives one submission per
student and assignment: its notebooks are graded, and every other file in that folder (and
below it) travels with them into the sandbox, never as a submission of its own. The layout is
recognised only where the tree that was named has it: inside an assignment folder nothing is
taken for layout again, so a student cannot hand in a folder that poses as a classmate's. Every
other .ipynb or .py file is a submission of its own, named after its stem. Nothing here follows
a symbolic link; the files themselves are read later, by grader/intake/files.py."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.intake.files import Budget, Received, Refused, collect, hidden, printable, read_file

SUFFIXES = (".ipynb", ".py")
LAYOUT = "submitted"


class NoSuchPath(Exception):
    pass


@dataclass(frozen=True)
class Submission:
    label: str
    """The path as given on the command line or found in a folder (or a name, in memory)."""
    student: str
    assignment: str
    source: Path | None
    """A single file, or the nbgrader assignment folder; None for a submission in memory."""
    graded: tuple[str, ...]
    """The graded files: names inside `source` when it is a folder."""
    contents: tuple[tuple[str, bytes], ...] | None = None
    """A submission in memory (the service's uploads): file name -> bytes."""

    @classmethod
    def in_memory(
        cls, files: dict[str, bytes], student: str, assignment: str, label: str | None = None
    ) -> Submission:
        names = tuple(sorted(name for name in files if name.endswith(SUFFIXES)))
        return cls(label or student, student, assignment, None, names, tuple(sorted(files.items())))


def _layout_key(parts: tuple[str, ...]) -> tuple[int, str, str] | None:
    """Where nbgrader's layout lies along a folder path: (index of `submitted`, student,
    assignment) for the innermost `submitted` whose assignment folder is the path's last part."""
    if len(parts) >= 3 and parts[-3] == LAYOUT:
        return len(parts) - 3, parts[-2], parts[-1]
    return None


SHIPPED = ("selfcheck.py", "handin.py")
"""Files the released notebooks travel with (the self-checks and `submit()`): never graded as a
submission when found in a folder; named on their own, they are graded like any file."""


def _candidate(name: str) -> bool:
    return name.endswith(SUFFIXES) and not hidden(name) and name not in SHIPPED


def notebooks_in(folder: Path) -> tuple[str, ...]:
    """The notebooks directly in an assignment folder: what is graded there."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return ()
    return tuple(n for n in names if n.endswith(".ipynb") and not hidden(n))


def discover(paths: list[str], assignment: str = "hw1", known: tuple[str, ...] = ()) -> list[Submission]:
    """All submissions under `paths`, in a stable order (sorted by label). The assignment of an
    nbgrader submission is its `<assignment>` folder when that names one of `known`; otherwise,
    and for every other file, `assignment`."""

    def which(folder_name: str) -> str:
        return folder_name if folder_name in known else assignment

    found: dict[tuple[str, str], Submission] = {}

    def add(submission: Submission) -> None:
        found.setdefault((submission.label, submission.student), submission)

    for given in paths:
        root = Path(given)
        if not os.path.lexists(root):
            raise NoSuchPath(f"{printable(given)}: no such file or folder")
        if root.is_symlink() and root.is_dir():
            root = Path(os.path.realpath(root))  # the folder the instructor named, followed once
        absolute = Path(os.path.abspath(root))
        if not root.is_dir():
            if not root.name.endswith(SUFFIXES):
                raise NoSuchPath(f"{printable(given)}: not a notebook (.ipynb) or Python file (.py)")
            key = _layout_key(absolute.parent.parts)
            if key is not None and root.name.endswith(".ipynb"):
                folder = root.parent
                add(_submission(folder, key[1], which(key[2]), folder, (root.name,)))
            else:
                add(_submission(root, root.stem, assignment, root, (root.name,)))
            continue
        key = _layout_key(absolute.parts)
        if key is not None:  # the named folder is an assignment folder of the layout
            add(_submission(root, key[1], which(key[2]), root, notebooks_in(root)))
            continue
        if absolute.name == LAYOUT or (absolute.parent.name == LAYOUT and absolute.parent != absolute):
            level = 0 if absolute.name == LAYOUT else 1
            for submission in _layout(root, level, which):
                add(submission)
            continue
        for walked, folders, files in os.walk(root, followlinks=False):
            folders[:] = sorted(f for f in folders if not hidden(f))
            if Path(walked).name == LAYOUT and Path(walked) != root:
                for submission in _layout(Path(walked), 0, which):
                    add(submission)
                folders[:] = []
                continue
            for name in sorted(files):
                if _candidate(name):
                    path = Path(walked) / name
                    add(_submission(path, path.stem, assignment, path, (name,)))
    return sorted(found.values(), key=lambda s: (s.label, s.student))


def _submission(
    shown: Path, student: str, assignment: str, source: Path, graded: tuple[str, ...]
) -> Submission:
    """Names from the file system become printable text (control characters and bytes that are
    not UTF-8 escaped), so no output format can be broken by them; `source` keeps the real path."""
    return Submission(printable(str(shown)), printable(student), assignment, source, graded)


def _layout(folder: Path, level: int, which) -> list[Submission]:
    """The submissions of a `submitted` folder (level 0) or of one student's folder (level 1):
    one per assignment folder; nothing below an assignment folder is looked at here."""
    students = [folder] if level == 1 else _subfolders(folder)
    submissions = []
    for student in students:
        for assignment in _subfolders(student):
            graded = () if assignment.is_symlink() else notebooks_in(assignment)
            submissions.append(
                _submission(assignment, student.name, which(assignment.name), assignment, graded)
            )
    return submissions


def _subfolders(folder: Path) -> list[Path]:
    """Folders below `folder`, and links posing as folders (graded as refused, never followed)."""
    if folder.is_symlink():
        return [folder]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    return [Path(folder) / e.name for e in entries if not hidden(e.name) and (e.is_dir() or e.is_symlink())]


@dataclass
class Intake:
    """What was read of one submission."""

    files: dict[str, bytes]
    """Every accepted file by its name inside the submission: what the sandbox gets."""
    graded: list[tuple[str, bytes]]
    """The graded files, as (name as shown to people, bytes)."""
    unreadable: list[str]
    """Graded files that were refused, each named with why."""
    refused: list[str]
    """Other files that were refused, each named with why."""


def receive(submission: Submission, budget: Budget) -> Intake:
    """Read a submission within its budget; nothing is followed, and what is refused is named."""
    source = submission.source
    folder = source if source is not None and source.is_dir() and not source.is_symlink() else None
    if submission.contents is not None:
        received = Received(files=dict(submission.contents))
    elif folder is not None:
        received = collect(folder, budget, set(submission.graded))
    else:
        assert source is not None
        received = Received()
        try:
            received.files[source.name] = read_file(source, budget.file_bytes)
        except Refused as exc:
            received.refused[source.name] = str(exc).split(": ", 1)[-1]

    def shown(name: str) -> str:
        if folder is not None:
            return str(folder / name) if name else str(folder)
        return str(source) if source is not None else name

    intake = Intake(received.files, [], [], [])
    for name in submission.graded:
        if name in received.files:
            intake.graded.append((shown(name), received.files[name]))
    for name, why in received.refused.items():
        whole = name == "." or (folder is None and source is not None and name == source.name)
        target = intake.unreadable if whole or name in submission.graded else intake.refused
        target.append(f"{printable(shown('' if name == '.' else name))}: {why}")
    return intake
