"""Sharding and merging: the shards partition the batch, and merged JSON equals one run."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SOLUTIONS, SUBMISSIONS
from grader.core.shards import ShardError, in_shard, merge_texts, parse_shard
from grader.frontends.cli import main
from grader.intake.submissions import Submission


def test_shards_partition_any_batch():
    batch = [Submission(f"sub/{i}", f"s{i}", "hw1", None, ()) for i in range(50)]
    for n in (1, 2, 3, 7):
        owners = [[k for k in range(1, n + 1) if in_shard(s, k, n)] for s in batch]
        assert all(len(o) == 1 for o in owners)


def test_bad_shards_and_bad_merges_are_clear_errors():
    for text in ("0/2", "3/2", "x", "1/0"):
        with pytest.raises(ShardError):
            parse_shard(text)
    with pytest.raises(ShardError, match="not a `grader grade"):
        merge_texts([("a.json", "{}")])
    one = json.dumps(
        {
            "submissions": [{"submission": "a", "student": "a"}],
            "seed": 1,
            "cases_per_function": 100,
            "grader_version": "x",
            "hypothesis_version": "y",
        }
    )
    with pytest.raises(ShardError, match="overlap"):
        merge_texts([("a", one), ("b", one)])
    other = one.replace('"seed": 1', '"seed": 2').replace('"a"', '"b"')
    with pytest.raises(ShardError, match="other settings"):
        merge_texts([("a", one), ("b", other)])


def test_merged_shards_equal_the_unsharded_run_byte_for_byte(tmp_path):
    for path in sorted((SUBMISSIONS / "correct").glob("*.py"))[:3]:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.ipynb").write_text("{")
    common = [str(tmp_path), "--solutions", str(SOLUTIONS), "--cases", "20", "--format", "json"]
    runner = CliRunner()
    whole = runner.invoke(main, ["grade", *common]).stdout
    parts = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}.json"
        runner.invoke(main, ["grade", *common, "--shard", f"{k}/3", "--output", str(out)])
        parts.append(str(out))
    merged = runner.invoke(main, ["merge", *parts])
    assert merged.exit_code == 0 and merged.stdout == whole
    assert sum(len(json.loads(Path(p).read_text())["submissions"]) for p in parts) == 4
