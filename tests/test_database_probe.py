"""The check that --db names an SQLite file (store/database.py `foreign_file`) runs in processes
that may already hold SQLite connections to that very file (a server, a worker, the tests). POSIX
locks belong to the process and any close() of the file drops them all, so the check must never
open the file itself: it asks SQLite, which keeps its own descriptors open while it holds locks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from grader.service.store.database import NOT_A_DATABASE, foreign_file

WRITE_AND_CLOSE = """
import sqlite3, sys
other = sqlite3.connect(sys.argv[1])
other.execute("INSERT INTO t VALUES (2)")
other.commit()
other.close()
"""


def test_checking_a_database_in_use_keeps_this_process_s_locks(tmp_path: Path) -> None:
    database = tmp_path / "service.sqlite"
    mine = sqlite3.connect(database)
    mine.execute("PRAGMA journal_mode=WAL")
    mine.execute("CREATE TABLE t (x INTEGER)")
    mine.commit()
    assert mine.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert foreign_file(database) is None
    # Another process writes and closes: it may checkpoint and delete the WAL only if it is the
    # last connection, which it believes when this process's shared lock was dropped.
    subprocess.run([sys.executable, "-c", WRITE_AND_CLOSE, str(database)], check=True, timeout=60)
    assert (tmp_path / "service.sqlite-wal").exists(), "the WAL of a database in use was removed"
    mine.execute("INSERT INTO t VALUES (3)")
    mine.commit()
    assert mine.execute("SELECT x FROM t ORDER BY x").fetchall() == [(2,), (3,)]
    mine.close()


def test_a_file_that_is_not_sqlite_is_named_and_left_as_it_was(tmp_path: Path) -> None:
    notebook = tmp_path / "hw1.ipynb"
    notebook.write_text('{"cells": []}' * 100)
    notebook.chmod(0o644)
    before = notebook.read_bytes()
    assert foreign_file(notebook) == f"{notebook} {NOT_A_DATABASE} (not an SQLite file)"
    assert notebook.read_bytes() == before and notebook.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hw1.ipynb"]


def test_an_empty_or_absent_file_is_left_to_the_callers(tmp_path: Path) -> None:
    (tmp_path / "empty").touch()
    assert foreign_file(tmp_path / "empty") is None and foreign_file(tmp_path / "absent") is None
