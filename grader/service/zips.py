"""Zips of handed-in files for instructors and graders: a whole assignment (every roster
student's counted submission, else their latest, in a folder named by their id, with a
manifest.csv saying which submission each folder holds and who handed in nothing), or one
submission's files.

Built safely: every name in the zip is rebuilt from letters, digits and `._-` (no absolute path,
no `..`, no drive, no backslash survives), every entry is a plain file (mode 0644, never a
link), the stored bytes are checked against MAX_BYTES before anything is written, and the zip is
written to a temporary file, one submission's files in memory at a time, then streamed."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Connection, Engine, func, select

from grader.report.safe import csv_cell
from grader.service.gradebook import gradebook
from grader.service.store.schema import submissions
from grader.service.stored_files import StoredFile, files_of

MAX_BYTES = 1 << 30
"""Files in one zip, before compression: beyond it, download per student instead."""
CHUNK = 1 << 16
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MANIFEST_COLUMNS = ("student", "submission_id", "which", "file", "uploaded_as", "size", "sha256")


class TooLarge(Exception):
    """The files would make a zip over MAX_BYTES (the API's 413)."""


def safe_part(text: str) -> str:
    """One path component a zip tool extracts where it is told: `._-`, letters and digits."""
    part = UNSAFE.sub("_", text).lstrip(".")[:100]
    return part or "_"


def safe_path(name: str) -> str:
    """A stored file name as a relative path of safe components (`a/../b` gives `a/b`)."""
    parts = [p for p in re.split(r"[/\\]+", name) if p not in ("", ".", "..")]
    return "/".join(safe_part(p) for p in parts) or "_"


def _unique(path: str, taken: set[str]) -> str:
    """`path`, or `path` numbered before its last suffix (`a-2.py`) when taken already."""
    candidate, number = path, 1
    folder, slash, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    while candidate.lower() in taken:  # case-insensitive file systems would merge them
        number += 1
        numbered = f"{stem}-{number}.{suffix}" if dot and stem else f"{name}-{number}"
        candidate = f"{folder}{slash}{numbered}"
    taken.add(candidate.lower())
    return candidate


def _entry(path: str, created_at: float) -> zipfile.ZipInfo:
    moment = time.gmtime(max(created_at, 315532800.0))  # zip times start in 1980
    info = zipfile.ZipInfo(path, date_time=moment[:6])
    info.create_system = 3  # unix, so the mode below is read: a regular file, never a link
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _chosen(connection: Connection, assignment: str) -> list[tuple[str, Any, str]]:
    """(student, submission row or None, which) for every roster student, by id."""
    chosen: list[tuple[str, Any, str]] = []
    for person in gradebook(connection, assignment):
        if person.counted is not None:
            row = connection.execute(
                select(submissions).where(submissions.c.id == person.counted.submission_id)
            ).one()
            chosen.append((person.student, row, "counted"))
            continue
        latest = connection.execute(
            select(submissions)
            .where(submissions.c.account_id == person.student, submissions.c.assignment == assignment)
            .order_by(submissions.c.id.desc())
            .limit(1)
        ).first()
        chosen.append((person.student, latest, "no submission" if latest is None else "latest, none counted"))
    return chosen


def assignment_zip(engine: Engine, assignment: str, limit: int = MAX_BYTES) -> IO[bytes]:
    """The zip of a whole assignment, in a temporary file at its start; TooLarge first when the
    files would pass `limit`."""
    with engine.connect() as connection:
        chosen = _chosen(connection, assignment)
        ids = [row.id for _, row, _ in chosen if row is not None]
        summed = select(func.coalesce(func.sum(submissions.c.size), 0)).where(submissions.c.id.in_(ids))
        total = int(connection.execute(summed).scalar() or 0) if ids else 0
    if total > limit:
        raise TooLarge(
            f"{assignment}'s counted submissions hold {total} bytes, over the {limit}-byte limit of one zip: "
            "download them per submission (GET /api/v1/submissions/{id}/files.zip)"
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; chunks() closes it
    try:
        _fill(out, engine, chosen)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _fill(out: IO[bytes], engine: Engine, chosen: list[tuple[str, Any, str]]) -> None:
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        folders: set[str] = {"manifest.csv"}
        for student, row, which in chosen:
            if row is None:
                writer.writerow([csv_cell(student), "", which, "", "", "", ""])
                continue
            folder = _unique(safe_part(student), folders)
            with engine.connect() as connection:
                stored = files_of(connection, row)
            for path, item in _write(archive, folder, stored, row.created_at):
                size, digest = _size_and_digest(item)
                writer.writerow([csv_cell(student), row.id, which, path, csv_cell(item.name), size, digest])
        archive.writestr(_entry("manifest.csv", 0.0), manifest.getvalue())


def submission_zip(connection: Connection, row) -> IO[bytes]:
    """One submission's files (a `submissions` row), in a folder `<student>-<id>`."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; chunks() closes it
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            folder = f"{safe_part(row.account_id)}-{row.id}"
            _write(archive, folder, files_of(connection, row), row.created_at)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _write(
    archive: zipfile.ZipFile, folder: str, stored: list[StoredFile], created_at: float
) -> list[tuple[str, StoredFile]]:
    """Each file whose bytes retention kept, under `folder`; the paths used."""
    taken: set[str] = set()
    written = []
    for item in stored:
        if item.data is None:
            written.append(("(removed by retention)", item))
            continue
        path = f"{folder}/{_unique(safe_path(item.name), taken)}"
        archive.writestr(_entry(path, created_at), item.data)
        written.append((path, item))
    return written


def _size_and_digest(item: StoredFile) -> tuple[str, str]:
    if item.data is None:
        return "", ""
    return str(len(item.data)), hashlib.sha256(item.data).hexdigest()


def chunks(handle: IO[bytes]) -> Iterator[bytes]:
    """The temporary file's bytes, then the file closed (and so removed)."""
    try:
        while block := handle.read(CHUNK):
            yield block
    finally:
        handle.close()
