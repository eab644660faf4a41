"""Which database a command uses, and whether it exists, decided the same way for every command.
The default once was `grader-service.sqlite` in the current folder: run from another folder, a
command made a new, empty database there and "succeeded" against it. Now the default is a
per-user file that does not depend on the current folder; `--db` and `$GRADER_DB` choose another,
and an existing `grader-service.sqlite` in the current folder is still used (with a line saying
so), so installations from before keep working. Only `grader serve` and `grader db init` create
a database; every other command asks `missing()` first and refuses to run without one."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from grader.service.store.database import NOT_A_DATABASE, DatabaseError, normalised_url, sqlite_path

FILE_NAME = "grader-service.sqlite"
APP_FOLDER = "ml-grader"


@dataclass(frozen=True)
class Location:
    url: str
    """SQLite paths made absolute, so workers and later commands find the same file."""
    source: str
    """Why this one: `--db`, `$GRADER_DB`, the old default in the current folder, or the default."""
    kind: str = "given"
    """`given` (--db or $GRADER_DB), `current-folder` (the old default) or `default`."""

    @property
    def sqlite_file(self) -> Path | None:
        return sqlite_file(self.url)

    def describe(self) -> str:
        """The file, or the URL without its password: what a user can look for."""
        path = self.sqlite_file
        return str(path) if path is not None else shown_url(self.url)

    def announcement(self) -> str:
        return f"database: {self.describe()} ({self.source})"


def data_folder(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME/ml-grader, else ~/.local/share/ml-grader (the XDG base directory rules: a
    relative $XDG_DATA_HOME is ignored)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / APP_FOLDER
    try:
        return Path.home() / ".local" / "share" / APP_FOLDER
    except RuntimeError:  # no $HOME and no passwd entry (some containers)
        raise DatabaseError("no home folder for the default database: give --db or $GRADER_DB") from None


def default_file(environ: Mapping[str, str] | None = None) -> Path:
    return data_folder(environ) / FILE_NAME


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, absolute; None for PostgreSQL and in-memory SQLite."""
    path = sqlite_path(url)
    if path is None or str(path) == ":memory:" or str(path).startswith("file:"):
        return None
    return path.absolute()


def shown_url(url: str) -> str:
    try:
        normalised_url(url)  # supported at all
        return make_url(url).render_as_string(hide_password=True)  # the scheme as the user wrote it
    except Exception:  # noqa: BLE001 - a URL too broken to parse is shown cut short
        return url[:80]


def locate(given: str | None, source: str, cwd: Path | None = None) -> Location:
    """`given` is --db or $GRADER_DB (`source` says which) or None for the default."""
    if given:
        normalised_url(given)  # an unsupported URL is an error here, before anything else
        path = sqlite_file(given)
        return Location(f"sqlite:///{path}" if path is not None else given, source)
    old = (cwd or Path.cwd()) / FILE_NAME
    if old.is_file():
        return Location(
            f"sqlite:///{old.absolute()}",
            f"found in the current folder, the old default; the default now is {default_file()}",
            "current-folder",
        )
    return Location(
        f"sqlite:///{default_file()}", "the default; --db or $GRADER_DB choose another", "default"
    )


def missing(location: Location) -> str | None:
    """Why there is no usable database at `location` (None when there is one). Never creates
    anything: SQLite is looked for as a file first; PostgreSQL must answer and hold the schema."""
    from sqlalchemy import create_engine

    from grader.service.store.database import current_revision, open_engine

    path = location.sqlite_file
    if path is not None and not path.is_file():
        return f"no database at {path}"
    if path is not None and path.stat().st_size == 0:
        return f"{path} {NOT_A_DATABASE} (an empty file)"
    try:
        engine = (
            open_engine(location.url)
            if location.url.startswith("sqlite")
            else create_engine(normalised_url(location.url), connect_args={"connect_timeout": 10})
        )
    except DatabaseError as exc:
        return str(exc)
    try:
        revision = current_revision(engine)
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: not usable here
        reason = (str(exc).strip().splitlines() or [""])[0][:200]
        return f"cannot reach the database at {location.describe()}: {reason}"
    finally:
        engine.dispose()
    if revision is None:
        return f"{location.describe()} holds no grader database (no schema)"
    return None
