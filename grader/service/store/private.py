"""The SQLite database is private to the user that runs `grader serve` and its workers: it
holds every reference's source, every submission and the sessions' CSRF tokens. A folder the
service creates for it is 0700 and the file 0600 (SQLite gives its -wal and -shm files the
database file's mode). A folder the operator chose is never changed; a database file (or its
-wal, -shm) of ours that others may read is tightened to 0600, with a warning saying so."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("grader.service")
FOLDER_MODE = 0o700
FILE_MODE = 0o600
COMPANIONS = ("", "-wal", "-shm", "-journal")


def prepare(database: Path) -> None:
    """Make the folders missing on the way to `database` (0700) and the file itself (0600)
    before SQLite opens it; tighten the files that exist already."""
    _make_folders(database.parent)
    try:
        descriptor = os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        pass
    else:
        os.fchmod(descriptor, FILE_MODE)  # whatever the umask left
        os.close(descriptor)
    for suffix in COMPANIONS:
        _tighten(database.with_name(database.name + suffix))


def _make_folders(folder: Path) -> None:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # another process made it: not ours to change
        os.chmod(created, FOLDER_MODE)


def _tighten(path: Path) -> None:
    try:
        info = os.lstat(path)  # never through a link
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or not info.st_mode & 0o077:
        return
    os.chmod(path, FILE_MODE)
    log.warning(
        "%s was readable by others (mode %04o); it is now %04o: it holds the reference, every "
        "submission and the sessions' CSRF tokens",
        path,
        stat.S_IMODE(info.st_mode),
        FILE_MODE,
    )
