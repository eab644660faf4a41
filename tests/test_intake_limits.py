"""The intake budget's limits on their boundaries (grader/intake/files.py): exactly at a limit is
accepted, one over is refused and named, with the default Budget a submission gets."""

from __future__ import annotations

from pathlib import Path

from grader.intake.files import Budget, collect

DEFAULT = Budget()
MIB = 1 << 20


def test_the_default_budget_is_the_documented_one():
    assert (DEFAULT.file_bytes, DEFAULT.total_bytes, DEFAULT.files, DEFAULT.depth) == (
        5 * MIB,
        20 * MIB,
        200,
        8,
    )


def test_a_graded_file_may_hold_5_mib_and_not_one_byte_more(tmp_path: Path):
    (tmp_path / "exact.py").write_bytes(b"#" * (5 * MIB))
    (tmp_path / "over.py").write_bytes(b"#" * (5 * MIB + 1))
    (tmp_path / "data.bin").write_bytes(b"\0" * (5 * MIB + 1))
    received = collect(tmp_path, DEFAULT, {"exact.py", "over.py"})
    assert set(received.files) == {"exact.py", "data.bin"}, "only graded files have the 5 MiB cap"
    assert len(received.files["exact.py"]) == 5 * MIB
    assert received.refused == {"over.py": f"{5 * MIB + 1} bytes, more than the {5 * MIB}-byte limit"}


def test_all_files_together_may_fill_the_total_exactly(tmp_path: Path):
    budget = Budget(total_bytes=10, file_bytes=10)
    (tmp_path / "a.txt").write_bytes(b"12345")
    (tmp_path / "b.txt").write_bytes(b"12345")
    assert set(collect(tmp_path, budget).files) == {"a.txt", "b.txt"}
    (tmp_path / "c.txt").write_bytes(b"1")
    received = collect(tmp_path, budget)
    assert (
        set(received.files) == {"a.txt", "b.txt"}
        and "more than the 0-byte limit" in received.refused["c.txt"]
    )


def nest(root: Path, levels: int) -> Path:
    folder = root
    for level in range(1, levels + 1):
        folder = folder / f"d{level}"
    folder.mkdir(parents=True)
    return folder


def test_folders_may_nest_8_levels_and_not_9(tmp_path: Path):
    (nest(tmp_path, DEFAULT.depth) / "deepest.txt").write_text("ok")
    received = collect(tmp_path, DEFAULT)
    assert received.refused == {} and list(received.files) == ["d1/d2/d3/d4/d5/d6/d7/d8/deepest.txt"]
    (nest(tmp_path, DEFAULT.depth + 1) / "too-deep.txt").write_text("no")
    received = collect(tmp_path, DEFAULT)
    assert list(received.files) == ["d1/d2/d3/d4/d5/d6/d7/d8/deepest.txt"]
    assert received.refused == {"d1/d2/d3/d4/d5/d6/d7/d8/d9": "folders nested deeper than 8 levels"}


def test_a_submission_may_bring_200_files_and_not_201(tmp_path: Path):
    for i in range(DEFAULT.files):
        (tmp_path / f"{i:03d}.txt").write_text("x")
    received = collect(tmp_path, DEFAULT)
    assert len(received.files) == 200 and received.refused == {}
    (tmp_path / "zzz.txt").write_text("x")
    received = collect(tmp_path, DEFAULT)
    assert len(received.files) == 200 and received.refused == {"zzz.txt": "more than 200 files"}


def test_the_entries_looked_at_are_capped_exactly(tmp_path: Path):
    budget = Budget(entries=4)
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / ".hidden").write_text("not counted")
    received = collect(tmp_path, budget)
    assert set(received.files) == {"a.txt", "b.txt", "sub/c.txt"} and received.refused == {}
    (tmp_path / "sub" / "d.txt").write_text("x")
    received = collect(tmp_path, budget)
    assert received.refused == {"sub": "more files and folders than the budget allows"}
