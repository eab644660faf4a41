"""The service's admin commands cannot surprise (issue 18, item 5): `assignment set` changes only
what it is given, only `serve` and `db init` create a database, every command names the one it
uses, the default database does not depend on the current folder, `roster import` never loses a
token, typos in ids are errors, and a second server on a busy port says so. Each runs with a
temporary HOME, XDG_DATA_HOME and current folder, never the real ones."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from servicekit import PYTHON, STARTED, environment, free_port
from sqlalchemy import select

from conftest import SOLUTIONS
from grader.frontends.cli import main
from grader.service.accounts import authenticate, create_token
from grader.service.deadlines import settings_for
from grader.service.store.database import open_database
from grader.service.store.schema import accounts, tokens


class Place:
    """A user's home and a current folder, both empty, and where the default database goes."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.home = root / "home"
        self.cwd = root / "work"
        self.home.mkdir()
        self.cwd.mkdir()
        self.default = self.home / ".local" / "share" / "ml-grader" / "grader-service.sqlite"

    def run(self, *args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    def database(self, path: Path | None = None) -> str:
        """A database made the way `grader serve` makes it; its URL. Without a path, one that
        $GRADER_DB names (as before this change), for the tests not about which database."""
        url = f"sqlite:///{path or self.cwd.parent / 'course.sqlite'}"
        open_database(url).dispose()
        if path is None:
            self.monkeypatch.setenv("GRADER_DB", url)
        return url


@pytest.fixture
def place(tmp_path, monkeypatch) -> Place:
    where = Place(tmp_path, monkeypatch)
    monkeypatch.setenv("HOME", str(where.home))
    for variable in ("XDG_DATA_HOME", "GRADER_DB"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(where.cwd)
    return where


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def files_under(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())


# --- assignment set / show


def test_assignment_set_changes_only_what_it_is_given(place):
    url = place.database()
    first = place.run(
        "assignment", "set", "hw1", "--deadline", "2026-12-15T23:59", "--late-until", "2026-12-18T23:59",
        "--penalty-per-day", "0.1", "--policy", "best",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    later = place.run("assignment", "set", "hw1", "--deadline", "2026-12-16T23:59")
    assert later.exit_code == 0, later.output
    with open_database(url).connect() as connection:
        kept = settings_for(connection, "hw1")
    assert (kept.late_until, kept.penalty_per_day, kept.policy) == (1797638340.0, 0.1, "best"), kept
    shown = place.run("assignment", "show", "hw1")
    assert shown.exit_code == 0, shown.output
    assert "2026-12-16 23:59 UTC" in shown.stdout
    assert "2026-12-18 23:59 UTC" in shown.stdout, "late_until kept"
    assert "0.1" in shown.stdout and "best" in shown.stdout, "penalty and policy kept"
    assert place.run("assignment", "set", "hw1").exit_code == 2, "nothing to set is a mistake"
    before = place.run("assignment", "set", "hw1", "--late-until", "2026-12-01T00:00")
    assert before.exit_code == 2 and "late_until" in before.stderr
    cleared = place.run("assignment", "set", "hw1", "--late-until", "none")
    assert cleared.exit_code == 0, cleared.output
    assert "late until" in cleared.stdout and "2026-12-18" not in cleared.stdout


def test_assignment_show_prints_local_time_and_utc_and_none_for_unset(place, monkeypatch):
    place.database()
    monkeypatch.setenv("TZ", "GRD-2")  # two hours ahead of UTC, without needing tzdata
    time.tzset()
    try:
        assert place.run("assignment", "set", "hw2", "--deadline", "2026-12-15T23:59Z").exit_code == 0
        shown = place.run("assignment", "show", "hw2")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert shown.exit_code == 0, shown.output
    assert "2026-12-15 23:59 UTC" in shown.stdout and "2026-12-16 01:59 GRD" in shown.stdout
    assert "none" in shown.stdout and "None" not in shown.output


# --- which database, and only serve or db init creates one

NEEDS_A_DATABASE = [
    ("token", "create", "--student", "dan"),
    ("token", "revoke", "--student", "dan"),
    ("assignment", "set", "hw1", "--deadline", "2026-12-15T23:59"),
    ("assignment", "show", "hw1"),
    ("regrade", "--assignment", "hw1", "--solutions", str(SOLUTIONS)),
]


@pytest.mark.parametrize("command", NEEDS_A_DATABASE, ids=lambda c: " ".join(c[:2]))
def test_commands_other_than_serve_never_create_a_database(place, command):
    """Run from another folder, `token create` made an empty database there and exited 0; the
    server then refused the token."""
    done = place.run(*command)
    assert done.exit_code == 2, done.output
    assert str(place.default) in done.stderr and "grader serve" in done.stderr
    assert files_under(place.cwd, place.home) == []
    explicit = place.run(*command, "--db", "sqlite:///elsewhere.sqlite")
    assert explicit.exit_code == 2 and str(place.cwd / "elsewhere.sqlite") in explicit.stderr
    assert files_under(place.cwd, place.home) == []


def test_roster_import_and_worker_never_create_a_database(place):
    (place.cwd / "class.csv").write_text("id\nada\n")
    done = place.run("roster", "import", "class.csv")
    assert done.exit_code == 2 and str(place.default) in done.stderr, done.output
    worker = subprocess.run(
        [PYTHON, "-m", "grader", "worker"],
        cwd=place.cwd,
        env={**environment(), "HOME": str(place.home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.returncode == 2 and str(place.default) in worker.stderr, worker.stderr[-2000:]
    assert files_under(place.cwd, place.home) == [place.cwd / "class.csv"]


def test_db_init_creates_the_default_database_privately_outside_the_current_folder(place):
    done = place.run("db", "init")
    assert done.exit_code == 0, done.output
    assert str(place.default) in done.stderr
    assert stat.S_IMODE(place.default.stat().st_mode) == 0o600
    assert stat.S_IMODE(place.default.parent.stat().st_mode) == 0o700
    assert files_under(place.cwd) == []
    made = place.run("token", "create", "--student", "dan")
    assert made.exit_code == 0, made.output
    assert str(place.default) in made.stderr and made.stdout.strip().startswith("gt_")
    assert authenticate(open_database(f"sqlite:///{place.default}"), made.stdout.strip()) is not None


def test_xdg_data_home_and_grader_db_and_db_choose_the_database(place, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(place.home / "data"))
    assert place.run("db", "init").exit_code == 0
    assert (place.home / "data" / "ml-grader" / "grader-service.sqlite").is_file()
    chosen = place.database(place.cwd / "chosen.sqlite")
    monkeypatch.setenv("GRADER_DB", chosen)
    by_env = place.run("token", "create", "--student", "eve")
    assert by_env.exit_code == 0 and str(place.cwd / "chosen.sqlite") in by_env.stderr
    assert "GRADER_DB" in by_env.stderr
    by_option = place.run("token", "create", "--student", "fay", "--db", chosen)
    assert by_option.exit_code == 0 and "--db" in by_option.stderr


def test_an_existing_database_in_the_current_folder_is_still_used_and_said(place):
    """Installations from before the per-user default keep working where they were started."""
    legacy = place.cwd / "grader-service.sqlite"
    place.database(legacy)
    done = place.run("token", "create", "--student", "gus")
    assert done.exit_code == 0, done.output
    assert str(legacy) in done.stderr and "current folder" in done.stderr
    assert not place.default.exists()


def test_a_postgresql_database_without_the_schema_or_out_of_reach_is_refused(place, postgres):
    fresh = postgres.fresh_database()
    done = place.run("token", "create", "--student", "dan", "--db", fresh)
    assert done.exit_code == 2, done.output
    assert "grader serve" in done.stderr and fresh.rsplit("/", 1)[-1] in done.stderr
    unreachable = f"postgresql://nobody:secret@127.0.0.1:{free_port()}/nothing"
    gone = place.run("token", "create", "--student", "dan", "--db", unreachable)
    assert gone.exit_code == 2 and "127.0.0.1" in gone.stderr and "secret" not in gone.stderr
    worker = subprocess.run(
        [PYTHON, "-m", "grader", "worker", "--db", unreachable, "--schema-wait", "1"],
        cwd=place.cwd,
        env={**environment(), "HOME": str(place.home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 2 and "127.0.0.1" in worker.stderr, worker.stderr[-2000:]
    assert "secret" not in worker.stderr and "Traceback" not in worker.stderr
    assert place.run("db", "init", "--db", fresh).exit_code == 0
    assert place.run("token", "create", "--student", "dan", "--db", fresh).exit_code == 0


# --- roster import


def imported(result) -> list[str]:
    lines = result.stdout.splitlines()
    assert lines[0] == "id,token", result.output
    return [line.split(",")[0] for line in lines[1:]]


def test_roster_import_prints_only_new_tokens_and_says_how_many_kept(place):
    place.database()
    roster = place.cwd / "class.csv"
    roster.write_text("id,first_name,last_name,email\nada,Ada,L,ada@x\nbob,Bob,M,bob@x\n")
    assert imported(place.run("roster", "import", "class.csv")) == ["ada", "bob"]
    roster.write_text(roster.read_text() + "cy,Cy,N,cy@x\n")
    again = place.run("roster", "import", "class.csv")
    assert again.exit_code == 0 and imported(again) == ["cy"]
    assert "2 student(s) already had a token" in again.stderr and "--reissue" in again.stderr


def test_a_roster_without_a_header_row_imports(place):
    url = place.database()
    (place.cwd / "class.csv").write_text("ada,Ada,Lovelace,ada@example.org\nbob\n")
    done = place.run("roster", "import", "class.csv")
    assert done.exit_code == 0, done.output
    assert imported(done) == ["ada", "bob"]
    with open_database(url).connect() as connection:
        names = dict(connection.execute(select(accounts.c.id, accounts.c.last_name)).all())
    assert names == {"ada": "Lovelace", "bob": ""}


def test_a_roster_with_old_mac_line_ends_imports_and_an_unreadable_one_is_named(place):
    place.database()
    (place.cwd / "mac.csv").write_bytes(b"id\rada\rbob\r")
    done = place.run("roster", "import", "mac.csv")
    assert done.exit_code == 0, done.output
    assert imported(done) == ["ada", "bob"]
    (place.cwd / "long.csv").write_text("id,first_name\ncy," + "x" * 200_000 + "\n")
    failed = place.run("roster", "import", "long.csv")
    assert failed.exit_code != 0 and "Traceback" not in failed.output
    assert "long.csv: not a CSV file we can read" in failed.stderr


def test_a_roster_with_a_bad_line_imports_nobody_so_no_token_is_lost(place):
    """Rows before the bad one got tokens that were never printed: fixed and imported again,
    those students 'already had one' and the class had to be reissued."""
    url = place.database()
    create_token(open_database(url), "prof", "instructor")
    roster = place.cwd / "class.csv"
    roster.write_text("id\nada\nbob\nprof\ncy\n")
    failed = place.run("roster", "import", "class.csv")
    assert failed.exit_code != 0 and "line 4" in failed.stderr and failed.stdout == ""
    roster.write_text("id\nada\nbob\ncy\n")
    assert imported(place.run("roster", "import", "class.csv")) == ["ada", "bob", "cy"]


def test_only_reissue_replaces_tokens_and_it_revokes_the_old(place):
    url = place.database()
    (place.cwd / "class.csv").write_text("id\nada\n")
    first = place.run("roster", "import", "class.csv").stdout.splitlines()[1].split(",")[1]
    again = place.run("roster", "import", "class.csv", "--reissue")
    assert again.exit_code == 0 and imported(again) == ["ada"]
    engine = open_database(url)
    assert authenticate(engine, first) is None
    assert authenticate(engine, again.stdout.splitlines()[1].split(",")[1]) is not None


# --- ids and roles


def test_typos_in_ids_are_errors_naming_the_id(place):
    url = place.database()
    create_token(open_database(url), "ada", "student")
    create_token(open_database(url), "bob", "student")
    revoke = place.run("token", "revoke", "--student", "adaa")
    assert revoke.exit_code == 2 and "adaa" in revoke.stderr and "ada?" in revoke.stderr, revoke.output
    regrade = place.run("regrade", "--assignment", "hw1", "--student", "bobb", "--solutions", str(SOLUTIONS))
    assert regrade.exit_code == 2 and "bobb" in regrade.stderr, regrade.output
    with open_database(url).connect() as connection:
        assert connection.execute(select(tokens.c.revoked_at)).scalars().all() == [None, None]
    assert place.run("token", "revoke", "--student", "ada").exit_code == 0


def test_token_create_takes_exactly_one_role(place):
    url = place.database()
    both = place.run("token", "create", "--student", "ada", "--instructor", "prof")
    assert both.exit_code == 2 and "one of" in both.stderr, both.output
    assert place.run("token", "create").exit_code == 2
    with open_database(url).connect() as connection:
        assert connection.execute(select(accounts.c.id)).all() == []
    ta = place.run("token", "create", "--grader", "tara")
    assert ta.exit_code == 0, ta.output
    assert authenticate(open_database(url), ta.stdout.strip()).role == "grader"


# --- serve


def test_a_second_server_on_a_busy_port_says_so_in_one_line(place):
    port = free_port()
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", port))
        busy.listen()
        done = subprocess.run(
            [PYTHON, "-m", "grader", "serve", "--port", str(port), "--workers", "1"],
            cwd=place.cwd,
            env={**environment(), "HOME": str(place.home)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode != 0
    said = [line for line in done.stderr.splitlines() if f"127.0.0.1:{port}" in line]
    assert len(said) == 1 and "in use" in said[0], done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "worker" not in done.stderr


def test_serve_says_first_which_database_and_creates_it_in_the_user_folder(place):
    port = free_port()
    log = place.cwd.parent / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "grader", "serve", "--port", str(port), "--workers", "0"],
            cwd=place.cwd,
            env={**environment(), "HOME": str(place.home)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    STARTED.append(process)
    try:
        deadline = time.monotonic() + 90
        while not answers(f"http://127.0.0.1:{port}/api/v1/health"):
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(60)
    first = log.read_text().splitlines()[0]
    assert "database" in first and str(place.default) in first, log.read_text()
    assert place.default.is_file() and files_under(place.cwd) == []
    assert os.stat(place.default).st_mode & 0o077 == 0


# --- files that are not databases, and the last instructor


@pytest.mark.parametrize("content", [b'{"cells": []}', b""], ids=["notebook", "empty"])
def test_a_file_that_is_not_a_database_is_named_so_and_left_as_it_was(place, content):
    notebook = place.cwd / "hw1.ipynb"
    notebook.write_bytes(content)
    notebook.chmod(0o644)
    shown = place.run("assignment", "show", "hw1", "--db", "sqlite:///hw1.ipynb")
    assert shown.exit_code == 2, shown.output
    assert f"{notebook} is not a grader database" in shown.stderr and "creates it" not in shown.stderr
    assert stat.S_IMODE(notebook.stat().st_mode) == 0o644 and notebook.read_bytes() == content
    assert files_under(place.cwd) == [notebook], "no -wal, -shm or journal beside it"


def test_revoking_the_last_instructor_token_needs_force(place):
    url = place.database()
    engine = open_database(url)
    first = create_token(engine, "prof", "instructor")
    create_token(engine, "ada", "student")
    assert place.run("token", "revoke", "--student", "ada").exit_code == 0, "students are not counted"
    refused = place.run("token", "revoke", "--student", "prof")
    assert refused.exit_code == 2 and "last instructor token" in refused.stderr
    assert "--force" in refused.stderr
    assert authenticate(engine, first) is not None, "nothing revoked"
    second = create_token(engine, "maya", "instructor")
    assert place.run("token", "revoke", "--student", "prof").exit_code == 0, "maya still holds one"
    forced = place.run("token", "revoke", "--student", "maya", "--force")
    assert forced.exit_code == 0 and "no instructor holds a token now" in forced.stderr
    assert authenticate(engine, first) is None and authenticate(engine, second) is None
