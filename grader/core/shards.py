"""Scaling a batch beyond one machine: `--shard K/N` grades a deterministic 1/N of it, and
`grader merge` puts the shards' JSON back together, byte for byte what one run would write."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from grader.intake.submissions import Submission
from grader.report.formats import json_text


class ShardError(Exception):
    pass


def parse_shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ShardError(f"--shard {text!r}: expected K/N, e.g. 2/4") from None
    if not 1 <= k <= n:
        raise ShardError(f"--shard {text!r}: K must be between 1 and N")
    return k, n


def in_shard(submission: Submission, k: int, n: int) -> bool:
    """A stable assignment: it depends on the submission alone, not on what else is in the batch."""
    digest = hashlib.sha256(f"{submission.student}\0{submission.label}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def merge_texts(texts: list[tuple[str, str]]) -> str:
    """(name, JSON text) of each shard -> the merged JSON text."""
    submissions, settings = [], None
    for name, text in texts:
        try:
            document = json.loads(text)
            part = (
                document["seed"],
                document["cases_per_function"],
                document["grader_version"],
                document["hypothesis_version"],
            )
            entries = document["submissions"]
        except (ValueError, KeyError, TypeError):
            raise ShardError(f"{name}: not a `grader grade --format json` result") from None
        if settings is not None and part != settings:
            raise ShardError(f"{name}: graded with other settings {part} than the first shard {settings}")
        settings = part
        submissions += entries
    if settings is None:
        raise ShardError("nothing to merge")
    keys = [(s["submission"], s["student"]) for s in submissions]
    if len(set(keys)) != len(keys):
        raise ShardError("the shards overlap: a submission appears twice")
    submissions.sort(key=lambda s: (s["submission"], s["student"]))
    return json_text(submissions, settings[0], settings[1])


def merge_files(paths: list[Path]) -> str:
    return merge_texts([(str(p), p.read_text(encoding="utf-8")) for p in paths])
