"""Reading a submission's files as hostile input: nothing is followed or opened but regular
files and directories (every path component opened with O_NOFOLLOW, relative to its parent's
descriptor), and every read is held to a budget of bytes, files, depth and time. What is
refused is named, with the reason, and costs only itself."""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


@dataclass(frozen=True)
class Budget:
    """What one submission may bring into the grader."""

    total_bytes: int = 20 << 20
    """All its files together."""
    file_bytes: int = 5 << 20
    """One graded file (a notebook or .py file)."""
    files: int = 200
    """Files accepted."""
    entries: int = 2000
    """Files and folders looked at."""
    depth: int = 8
    """Folder levels below the submission's own folder."""
    seconds: float = 10.0


class Refused(Exception):
    """A path that is not read; the message names it and says why."""


@dataclass
class Received:
    """What was read of one submission: every accepted file by its relative name ('/'-separated),
    which is what the sandbox gets, and what was refused, each named with the reason."""

    files: dict[str, bytes] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    """Relative name -> why it was not read."""

    def problems(self, shown_folder: str = "") -> list[str]:
        prefix = shown_folder.rstrip("/") + "/" if shown_folder else ""
        return [f"{printable(prefix + name)}: {why}" for name, why in self.refused.items()]


def printable(name: str) -> str:
    """A name from a submission, safe to print anywhere: control characters, and bytes that were
    not valid UTF-8, become visible escapes."""
    out = []
    for ch in name:
        if ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.()+-]{0,99}")
"""A file or folder name a student chooses (an upload, a member of an uploaded zip): letters,
digits, space and `_.()+-`, at most 100 characters, not starting with a dot. Names end up in
the API's answers, pages, logs and file systems, so nothing that could mean more is accepted."""
NAME_RULE = (
    "a file name may hold only letters, digits, spaces and _.()+- "
    "(at most 100 characters, not starting with a dot)"
)
MAX_PATH = 255
"""Characters in a file's whole relative name (folders and all), as most file systems allow."""


def path_problem(relative: str, depth: int) -> str | None:
    """Why a '/'-separated relative name chosen by a student may not be stored, or None: each
    part a plain NAME, at most `depth` folders, at most MAX_PATH characters in all."""
    parts = relative.split("/")
    if len(relative) > MAX_PATH:
        return f"a name longer than {MAX_PATH} characters"
    if len(parts) - 1 > depth:
        return f"folders nested deeper than {depth} levels"
    if not all(NAME.fullmatch(part) for part in parts):
        return NAME_RULE.replace("a file name", "each part of a name")
    return None


LINK = "a symbolic link (links are never followed)"
NOT_REGULAR = "not a regular file"


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return LINK
    if exc.errno == errno.ENOTDIR:
        return "a path through something that is not a folder"
    return f"cannot be read ({exc.strerror})"


def _read_open(fd: int, limit: int) -> bytes:
    """Raises Refused with the reason only; callers name the file."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise Refused(NOT_REGULAR)
    if info.st_size > limit:
        raise Refused(f"{info.st_size} bytes, more than the {limit}-byte limit")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise Refused(f"grew past the {limit}-byte limit while being read")


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of one regular file named on its own (a single-file submission): a link,
    device, FIFO or socket is refused, and so is anything larger than `limit`."""
    try:
        fd = os.open(path, _FILE)
    except OSError as exc:
        raise Refused(f"{printable(str(path))}: {_why(exc)}") from None
    try:
        return _read_open(fd, limit)
    except Refused as exc:
        raise Refused(f"{printable(str(path))}: {exc}") from None
    finally:
        os.close(fd)


def hidden(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


class _Walk:
    def __init__(self, budget: Budget, graded: set[str]) -> None:
        self.budget, self.graded = budget, graded
        self.received = Received()
        self.started = time.monotonic()
        self.total = 0
        self.seen = 0

    def refuse(self, relative: str, why: str) -> None:
        self.received.refused.setdefault(relative or ".", why)

    def out_of_time(self) -> bool:
        return time.monotonic() - self.started > self.budget.seconds

    def folder(self, directory: int, prefix: str, depth: int) -> None:
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            self.refuse(prefix.rstrip("/"), _why(exc))
            return
        folders = []
        for name in names:
            if hidden(name):
                continue
            relative = prefix + name
            self.seen += 1
            if self.seen > self.budget.entries or self.out_of_time():
                self.refuse(prefix.rstrip("/"), "more files and folders than the budget allows")
                return
            try:
                info = os.stat(name, dir_fd=directory, follow_symlinks=False)
            except OSError as exc:
                self.refuse(relative, _why(exc))
                continue
            if stat.S_ISDIR(info.st_mode):
                folders.append((name, relative))
            elif stat.S_ISREG(info.st_mode):
                self.file(directory, name, relative)
            elif stat.S_ISLNK(info.st_mode):
                self.refuse(relative, LINK)
            else:
                self.refuse(relative, NOT_REGULAR)
        for name, relative in folders:
            if depth + 1 > self.budget.depth:
                self.refuse(relative, f"folders nested deeper than {self.budget.depth} levels")
                continue
            try:
                child = os.open(name, _DIRECTORY, dir_fd=directory)
            except OSError as exc:
                self.refuse(relative, _why(exc))
                continue
            try:
                self.folder(child, relative + "/", depth + 1)
            finally:
                os.close(child)

    def file(self, directory: int, name: str, relative: str) -> None:
        if len(self.received.files) >= self.budget.files:
            self.refuse(relative, f"more than {self.budget.files} files")
            return
        left = self.budget.total_bytes - self.total
        limit = min(self.budget.file_bytes, left) if relative in self.graded else left
        try:
            fd = os.open(name, _FILE, dir_fd=directory)
        except OSError as exc:
            self.refuse(relative, _why(exc))
            return
        try:
            data = _read_open(fd, limit)
        except Refused as exc:
            self.refuse(relative, str(exc))
            return
        finally:
            os.close(fd)
        self.received.files[relative] = data
        self.total += len(data)


def collect(folder: Path, budget: Budget, graded: set[str] | None = None) -> Received:
    """Every regular, non-hidden file under `folder` (relative names), within the budget: files
    directly in `folder` first, in name order, then each subfolder. A link, device, FIFO or
    socket anywhere is refused without being opened."""
    walk = _Walk(budget, graded or set())
    try:
        root = os.open(folder, _DIRECTORY)
    except OSError as exc:
        walk.refuse("", _why(exc))
        return walk.received
    try:
        walk.folder(root, "", 0)
    finally:
        os.close(root)
    return walk.received
