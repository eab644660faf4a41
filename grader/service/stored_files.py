"""A submission's files as they were uploaded, for their owner, graders and instructors: the
list (names, sizes, sha256) and the bytes of one. Retention may have removed the bytes of a
superseded submission (`pruned_at`); its names are still listed, and asking for the bytes says
they were removed rather than that they never existed."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import Connection, select

from grader.service.store.schema import submission_files

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Pruned(Exception):
    """The file was uploaded, but retention has removed its bytes."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    data: bytes | None
    """None once retention removed it."""

    def to_json(self) -> dict:
        if self.data is None:
            return {"name": self.name, "size": None, "sha256": None, "removed": True}
        return {
            "name": self.name,
            "size": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "removed": False,
        }


def files_of(connection: Connection, row) -> list[StoredFile]:
    """Every file of the submission (a `submissions` row), in the order it lists them."""
    stored = {
        r.name: bytes(r.data)
        for r in connection.execute(
            select(submission_files.c.name, submission_files.c.data).where(
                submission_files.c.submission_id == row.id
            )
        ).all()
    }
    return [StoredFile(name, stored.get(name)) for name in json.loads(row.files)]


def file_of(connection: Connection, row, name: str) -> bytes | None:
    """The bytes of one file of the submission; None for a name it does not have; Pruned when
    retention removed them."""
    if name not in json.loads(row.files):
        return None
    data = connection.execute(
        select(submission_files.c.data).where(
            submission_files.c.submission_id == row.id, submission_files.c.name == name
        )
    ).scalar()
    if data is None:
        raise Pruned(name)
    return bytes(data)


def attachment(name: str) -> str:
    """A Content-Disposition that downloads, never displays: an ASCII fallback name with only
    letters, digits and `._-` (no quotes, slashes or line breaks can reach the header), and the
    real name percent-encoded (RFC 6266)."""
    base = name.rsplit("/", 1)[-1]
    ascii_name = UNSAFE.sub("_", base).lstrip(".")[:100] or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(base[:200], safe='')}"
