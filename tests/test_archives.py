"""A .zip hand-in is hostile input (grader/intake/archives.py): links, absolute and climbing
names, special files, zip bombs, too many entries and corrupt archives are each refused with a
reason naming the entry, and refusing one entry costs only that entry."""

from __future__ import annotations

import io
import stat
import zipfile

from grader.intake.archives import unpack
from grader.intake.files import Budget, Received


def packed(entries: list[tuple[zipfile.ZipInfo | str, bytes | str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def typed(name: str, kind: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (kind | 0o644) << 16
    return info


def opened(data: bytes, budget: Budget | None = None) -> Received:
    received = Received()
    unpack("hand.zip", data, budget or Budget(), received, 0)
    return received


def test_plain_files_land_under_the_archive_folder_whatever_mode_the_archiver_wrote():
    bare = zipfile.ZipInfo("b.py")
    bare.external_attr = 0  # archivers on some systems record no mode at all
    received = opened(packed([("a/a.py", "x = 1\n"), (bare, "y = 2\n"), (typed("c.py", stat.S_IFREG), "")]))
    assert received.files == {"hand/a/a.py": b"x = 1\n", "hand/b.py": b"y = 2\n", "hand/c.py": b""}
    assert received.refused == {}


def test_links_special_files_and_escaping_names_are_refused_by_name():
    received = opened(
        packed(
            [
                (typed("link.py", stat.S_IFLNK), "/etc/passwd"),
                (typed("pipe.py", stat.S_IFIFO), ""),
                ("/abs.py", "x = 1\n"),
                ("../up.py", "x = 1\n"),
                ("a/../../up.py", "x = 1\n"),
                ("back\\slash.py", "x = 1\n"),
                ("ok.py", "x = 1\n"),
            ]
        )
    )
    assert received.files == {"hand/ok.py": b"x = 1\n"}
    assert "symbolic link" in received.refused["hand.zip/link.py"]
    assert "not a regular file" in received.refused["hand.zip/pipe.py"]
    # zipfile itself strips a leading "/", so the absolute name arrives relative and is kept
    # inside the archive's folder; every climbing name is refused.
    assert all(
        "leaves the archive" in received.refused[f"hand.zip/{n}"] for n in ("../up.py", "a/../../up.py")
    )
    assert "leaves the archive" in received.refused["hand.zip/back\\slash.py"]


def test_a_zip_bomb_stops_at_the_budget_not_at_its_header():
    bomb = packed([("bomb.py", b"0" * (8 << 20)), ("small.py", "x = 1\n")])
    assert len(bomb) < 100_000
    received = opened(bomb, Budget(file_bytes=1 << 20, total_bytes=2 << 20))
    assert "more than the 1048576 bytes" in received.refused["hand.zip/bomb.py"]
    assert received.files == {"hand/small.py": b"x = 1\n"}


def test_a_header_that_lies_about_the_size_is_caught_while_inflating():
    data = bytearray(packed([("liar.py", b"1" * 50_000)]))
    # Shrink the declared size in the central directory; inflation must still stop at the limit.
    data = data.replace((50_000).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    received = opened(bytes(data), Budget(file_bytes=1000, total_bytes=1000))
    assert "hand/liar.py" not in received.files
    assert "hand.zip/liar.py" in received.refused


def test_too_many_entries_or_files_are_refused_with_the_count():
    many = packed([(f"f{i}.py", "") for i in range(30)])
    assert "more than 20 entries" in opened(many, Budget(entries=20)).refused["hand.zip"]
    capped = opened(many, Budget(files=5))
    assert len(capped.files) == 5 and sum("more than 5 files" in w for w in capped.refused.values()) == 25


def test_a_corrupt_archive_is_one_refusal_not_a_crash():
    received = opened(b"PK\x03\x04 not really a zip")
    assert (
        list(received.refused) == ["hand.zip"]
        and "not a readable zip archive" in received.refused["hand.zip"]
    )
    assert received.files == {}
