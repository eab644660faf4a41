"""A .zip a student hands in, opened as hostile input, in memory: no entry is a link or leaves
the archive, no name is absolute or climbs out with `..`, every name obeys the rule for the
names students choose (files.NAME, folder depth, length: members come back in the service's
answers as names do), and the files together stay within the submission's budget (counted
as they are inflated, so a zip bomb stops at the budget)."""

from __future__ import annotations

import io
import stat
import zipfile
from posixpath import normpath

from grader.intake.files import Budget, Received, Refused, hidden, path_problem, printable

CHUNK = 1 << 16
SHOWN = 120
"""Characters of a member's name quoted in a refusal (a name may be 64 KiB long)."""


def unpack(name: str, data: bytes, budget: Budget, into: Received, used: int) -> int:
    """Add the archive's files to `into` (under the archive's own folder name, so two archives
    never collide), refuse what may not be read, and return the bytes now used of the budget."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        into.refused[name] = f"not a readable zip archive ({exc})"
        return used
    if len(entries) > budget.entries:
        into.refused[name] = f"more than {budget.entries} entries in one archive"
        return used
    folder = name[: -len(".zip")] if name.endswith(".zip") else name
    for entry in entries:
        cut = entry.filename[:SHOWN] + ("..." if len(entry.filename) > SHOWN else "")
        shown = f"{name}/{cut}"
        why = _refusal(entry)
        if why:
            into.refused[shown] = why
            continue
        if entry.is_dir() or any(hidden(part) for part in entry.filename.split("/")):
            continue
        stored = f"{folder}/{normpath(entry.filename)}"
        why = path_problem(entry.filename, budget.depth) or (
            "in the archive twice" if stored in into.files else None
        )
        if why:
            into.refused[shown] = why
            continue
        if len(into.files) >= budget.files:
            into.refused[shown] = f"more than {budget.files} files"
            continue
        try:
            content = _inflate(archive, entry, min(budget.file_bytes, budget.total_bytes - used))
        except Refused as exc:
            into.refused[shown] = str(exc)
            continue
        into.files[stored] = content
        used += len(content)
    return used


def _refusal(entry: zipfile.ZipInfo) -> str | None:
    mode = entry.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are never followed)"
    kind = stat.S_IFMT(mode)  # 0 when the archiver recorded permissions only (or nothing)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return "not a regular file"
    name = entry.filename
    if name.startswith("/") or "\\" in name or "\0" in name or any(p == ".." for p in name.split("/")):
        return f"a name that leaves the archive ({printable(name)})"
    return None


def _inflate(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, left: int) -> bytes:
    """The entry's bytes, refused as soon as they pass `left` (whatever its header claims)."""
    too_large = Refused(f"more than the {left} bytes allowed (one file, or what the budget has left)")
    if entry.file_size > left:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(entry) as handle:
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                if size > left:
                    raise too_large
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise Refused(f"cannot be inflated ({exc})") from None
    return b"".join(chunks)
