"""How a submission's folder is walked (grader/intake/files.py, collect and _Walk.folder), in
process: the order files come in, what is skipped, what is refused and in which words (links,
FIFOs, depth, the time and entry budgets), and how names are made printable. The boundaries of
each size and count limit are in test_intake_limits.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader.intake.files import (
    LINK,
    NOT_REGULAR,
    Budget,
    Received,
    Refused,
    collect,
    path_problem,
    printable,
    read_file,
)

BUDGET = Budget()


def test_files_come_in_name_order_those_of_a_folder_before_its_subfolders(tmp_path: Path):
    for name in ("b/z.txt", "b/a/y.txt", "a/x.txt", "c.txt", "B.txt", "a.txt", "a/b/w.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    received = collect(tmp_path, BUDGET)
    assert list(received.files) == ["B.txt", "a.txt", "c.txt", "a/x.txt", "a/b/w.txt", "b/z.txt", "b/a/y.txt"]
    assert received.files["a/b/w.txt"] == b"a/b/w.txt" and received.refused == {}


def test_hidden_files_and_pycache_are_skipped_without_a_word(tmp_path: Path):
    for name in (".git/config", "__pycache__/m.pyc", ".env", "sub/.secret", "sub/__pycache__/n.pyc", "ok.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    received = collect(tmp_path, BUDGET)
    assert list(received.files) == ["ok.py"] and received.refused == {}


def test_links_are_refused_by_name_and_never_followed(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    root = tmp_path / "submission"
    (root / "sub").mkdir(parents=True)
    (root / "real.py").write_text("x = 1")
    (root / "to_file.py").symlink_to(outside / "secret.txt")
    (root / "to_folder").symlink_to(outside, target_is_directory=True)
    (root / "sub" / "dangling").symlink_to(tmp_path / "nothing")
    (root / "sub" / "after.txt").write_text("after")
    received = collect(root, BUDGET)
    assert list(received.files) == ["real.py", "sub/after.txt"]
    assert received.refused == {"sub/dangling": LINK, "to_file.py": LINK, "to_folder": LINK}
    assert LINK == "a symbolic link (links are never followed)"


def test_a_submission_folder_that_is_a_link_is_refused_whole(tmp_path: Path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.py").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    received = collect(tmp_path / "link", BUDGET)
    # O_DIRECTORY | O_NOFOLLOW on a link fails with ENOTDIR, not ELOOP: read as "not a folder"
    assert received.files == {} and received.refused == {".": "a path through something that is not a folder"}
    received = collect(tmp_path / "missing", BUDGET)
    assert received.refused == {".": "cannot be read (No such file or directory)"}


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "pipe")
    (tmp_path / "z.py").write_text("z")
    received = collect(tmp_path, BUDGET, {"pipe.py"})
    assert list(received.files) == ["z.py"]
    assert received.refused == {"pipe.py": NOT_REGULAR, "sub/pipe": NOT_REGULAR}
    assert NOT_REGULAR == "not a regular file"


def test_every_folder_past_the_depth_is_refused_and_its_siblings_still_read(tmp_path: Path):
    for name in ("a/x/deep.txt", "a/y/deep.txt", "a/ok.txt", "b/ok.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    received = collect(tmp_path, Budget(depth=1))
    assert list(received.files) == ["a/ok.txt", "b/ok.txt"]
    assert received.refused == {
        "a/x": "folders nested deeper than 1 levels",
        "a/y": "folders nested deeper than 1 levels",
    }
    received = collect(tmp_path, Budget(depth=0))
    assert received.files == {}
    assert list(received.refused) == ["a", "b"]


def test_the_entry_budget_stops_the_walk_and_names_the_folder_it_stopped_in(tmp_path: Path):
    for name in ("a.txt", "b.txt", "c.txt", "subX/d.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    received = collect(tmp_path, Budget(entries=2))
    assert list(received.files) == ["a.txt", "b.txt"]
    assert received.refused == {".": "more files and folders than the budget allows"}, "no subfolder after"
    received = collect(tmp_path, Budget(entries=4))
    assert list(received.files) == ["a.txt", "b.txt", "c.txt"]
    assert received.refused == {"subX": "more files and folders than the budget allows"}


def test_a_walk_out_of_time_stops_at_once(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    received = collect(tmp_path, Budget(seconds=-1.0))
    assert received.files == {} and received.refused == {".": "more files and folders than the budget allows"}
    assert list(collect(tmp_path, Budget(seconds=60.0)).files) == ["a.txt"]


def test_a_graded_file_is_held_to_what_is_left_of_the_total_when_that_is_less(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"1234")
    (tmp_path / "b.py").write_bytes(b"1234567")
    received = collect(tmp_path, Budget(total_bytes=10, file_bytes=100), {"b.py"})
    assert list(received.files) == ["a.txt"]
    assert received.refused == {"b.py": "7 bytes, more than the 6-byte limit"}
    received = collect(tmp_path, Budget(total_bytes=100, file_bytes=6), {"b.py"})
    assert received.refused == {"b.py": "7 bytes, more than the 6-byte limit"}
    assert list(collect(tmp_path, Budget(total_bytes=11, file_bytes=7), {"b.py"}).files) == ["a.txt", "b.py"]


def test_a_file_larger_than_a_read_chunk_is_read_whole(tmp_path: Path):
    data = bytes(range(256)) * (5 << 12)  # 5 MiB, five 1 MiB chunks
    (tmp_path / "big.bin").write_bytes(data)
    assert collect(tmp_path, BUDGET).files["big.bin"] == data


def test_read_file_reads_one_regular_file_and_refuses_links_fifos_and_oversize(tmp_path: Path):
    (tmp_path / "a.py").write_bytes(b"abc")
    assert read_file(tmp_path / "a.py", 3) == b"abc"
    (tmp_path / "link.py").symlink_to(tmp_path / "a.py")
    os.mkfifo(tmp_path / "pipe.py")
    for path, why in [
        (tmp_path / "a.py", "3 bytes, more than the 2-byte limit"),
        (tmp_path / "link.py", LINK),
        (tmp_path / "pipe.py", NOT_REGULAR),
        (tmp_path / "a.py" / "x", "a path through something that is not a folder"),
        (tmp_path / "none.py", "cannot be read (No such file or directory)"),
    ]:
        with pytest.raises(Refused) as raised:
            read_file(path, 2)
        assert str(raised.value) == f"{path}: {why}"


def test_names_are_made_printable_in_problems():
    received = Received(refused={"a\nb.py": LINK, "x\x7f\u202e\udcff.py": NOT_REGULAR})
    assert received.problems() == [f"a\\x0ab.py: {LINK}", f"x\\x7f\\u202e\\xff.py: {NOT_REGULAR}"]
    assert received.problems("upload/") == [
        f"upload/a\\x0ab.py: {LINK}",
        f"upload/x\\x7f\\u202e\\xff.py: {NOT_REGULAR}",
    ]
    assert printable("plain é ü.py") == "plain é ü.py"
    assert printable("\x00\t\udc80\udcff") == "\\x00\\x09\\x80\\xff"
    assert printable("\udd00\ud800") == "\\udd00\\ud800", "other surrogates are not bytes"


def test_an_entry_that_vanishes_after_the_listing_is_refused_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch
):
    """A file removed between listing and stat (a race the student's own process could run)."""
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "c.txt").write_text("c")
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda fd: [*listdir(fd), "b-gone.txt"])
    received = collect(tmp_path, BUDGET)
    assert list(received.files) == ["a.txt", "c.txt"]
    assert received.refused == {"b-gone.txt": "cannot be read (No such file or directory)"}


def test_a_folder_that_cannot_be_listed_is_named_and_the_walk_goes_on(tmp_path: Path, monkeypatch):
    for name in ("a.txt", "subX/b.txt", "z/c.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    listdir, shut = os.listdir, os.open(tmp_path / "subX", os.O_RDONLY)
    shut_inode = os.fstat(shut).st_ino
    os.close(shut)

    def listing(fd):
        if os.fstat(fd).st_ino == shut_inode:
            raise PermissionError(13, "Permission denied")
        return listdir(fd)

    monkeypatch.setattr(os, "listdir", listing)
    received = collect(tmp_path, BUDGET)
    assert list(received.files) == ["a.txt", "z/c.txt"]
    assert received.refused == {"subX": "cannot be read (Permission denied)"}


def test_entries_swapped_for_links_after_stat_are_refused_not_followed(tmp_path: Path, monkeypatch):
    """Between stat and open a student's process may swap a file or a folder for a link:
    O_NOFOLLOW refuses the link, and the entries after it are still read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    root = tmp_path / "submission"
    for name in ("a.py", "b/ok.txt", "c/ok.txt", "d.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    real_stat = os.stat

    def stat_then_swap(name, *args, **kwargs):
        info = real_stat(name, *args, **kwargs)
        if name in ("a.py", "b") and kwargs.get("dir_fd") is not None:
            swapped = root / name
            if swapped.is_dir():
                (swapped / "ok.txt").unlink()
                swapped.rmdir()
                swapped.symlink_to(outside, target_is_directory=True)
            else:
                swapped.unlink()
                swapped.symlink_to(outside / "secret.txt")
        return info

    monkeypatch.setattr(os, "stat", stat_then_swap)
    received = collect(root, BUDGET)
    assert list(received.files) == ["d.txt", "c/ok.txt"]
    assert received.refused == {"a.py": LINK, "b": "a path through something that is not a folder"}


def test_a_file_that_grows_while_read_is_refused(tmp_path: Path):
    """/proc files say they hold 0 bytes and hold more: what a file growing after fstat looks like."""
    with pytest.raises(Refused) as raised:
        read_file(Path("/proc/self/status"), 10)
    assert str(raised.value) == "/proc/self/status: grew past the 10-byte limit while being read"
    assert read_file(Path("/proc/self/status"), 1 << 20).startswith(b"Name:")


def test_a_chosen_path_is_held_to_255_characters_the_depth_and_plain_names_in_every_part():
    assert path_problem("a" * 100 + "/" + "b" * 100 + "/" + "c" * 53, 8) is None, "255 characters"
    assert (
        path_problem("a" * 100 + "/" + "b" * 100 + "/" + "c" * 54, 8) == "a name longer than 255 characters"
    )
    assert path_problem("a/b/c.py", 2) is None
    assert path_problem("a/b/c.py", 1) == "folders nested deeper than 1 levels"
    assert path_problem("c.py", 0) is None
    rule = (
        "each part of a name may hold only letters, digits, spaces and _.()+- "
        "(at most 100 characters, not starting with a dot)"
    )
    for bad in ("a/../c.py", "a//c.py", "a/.git/c.py", "a/b\\c.py", "a/" + "x" * 101, "a/é.py"):
        assert path_problem(bad, 8) == rule, bad
