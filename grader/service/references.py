"""The reference, kept in the database so a worker on a host without solutions/ grades with
exactly the version the instructor published. A worker writes it to a private folder (mode
0700, outside everything the sandbox may read) and loads it in its own process only; the
sandbox never receives it, as everywhere else."""

from __future__ import annotations

import json
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, update

from grader import assignments
from grader.core.api import GradingCore
from grader.core.options import Options
from grader.plan.reference import ReferenceNotFound, reference_sources
from grader.run import scratch
from grader.service.store.database import writing
from grader.service.store.schema import references


def sources(assignment_id: str, folder: Path) -> tuple[str, dict[str, str]]:
    """(digest, module file name -> source) of one assignment's reference in `folder`; the
    digest is the one results name (grader/plan/reference.py)."""
    digest, files = reference_sources(assignments.get(assignment_id), folder)
    return digest, {path.name: data.decode("utf-8") for path, data in files.items()}


def publish(engine: Engine, assignment_id: str, folder: Path) -> str:
    """Make `folder`'s reference the one workers grade `assignment_id` with (a version published
    before becomes the newest again); returns its digest."""
    digest, files = sources(assignment_id, folder)
    now = time.time()
    with writing(engine) as connection:
        if newest_digest(connection, assignment_id) == digest:
            return digest
        mine = (references.c.assignment == assignment_id) & (references.c.digest == digest)
        if connection.execute(select(references.c.id).where(mine)).first() is None:
            connection.execute(
                insert(references).values(
                    assignment=assignment_id, digest=digest, files=json.dumps(files), created_at=now
                )
            )
        else:
            connection.execute(update(references).where(mine).values(created_at=now))
    return digest


def newest_digest(connection: Connection, assignment_id: str) -> str | None:
    row = connection.execute(
        select(references.c.digest)
        .where(references.c.assignment == assignment_id)
        .order_by(references.c.created_at.desc(), references.c.id.desc())
        .limit(1)
    ).first()
    return row.digest if row else None


REFERENCE_PREFIX = "grader-reference-"
"""A worker's copies of the references in TMPDIR (grader/run/scratch.py: a killed worker's are
swept)."""


class References:
    """A worker's graders, one GradingCore per published reference version, built on first use."""

    def __init__(self, engine: Engine, options: Options) -> None:
        self.engine = engine
        self.options = options
        self.folder = scratch.folder(REFERENCE_PREFIX)
        self.cores: dict[str, GradingCore] = {}

    def core(self, assignment_id: str) -> tuple[str, GradingCore]:
        """The newest published reference of the assignment, and a core that grades with it.
        Each job asks only for the newest digest; the sources are read once per version."""
        with self.engine.connect() as connection:
            digest = newest_digest(connection, assignment_id)
            if digest is None:
                raise ReferenceNotFound(
                    f"no reference published for {assignment_id} (start `grader serve` with it)"
                )
            if digest not in self.cores:
                files = connection.execute(
                    select(references.c.files).where(
                        (references.c.assignment == assignment_id) & (references.c.digest == digest)
                    )
                ).scalar_one()
                folder = self.folder / digest
                folder.mkdir(mode=0o700, exist_ok=True)
                for name, source in json.loads(files).items():
                    (folder / Path(name).name).write_text(source, encoding="utf-8")
                self.cores[digest] = GradingCore(self.options, folder)
        return digest, self.cores[digest]

    def close(self) -> None:
        scratch.remove(self.folder)
