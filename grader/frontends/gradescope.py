"""Gradescope's autograder as a front end (`grader gradescope-run`, which the bundle's
run_autograder calls): everything in <root>/submission is one submission of the bundle's
assignment, whatever it holds (notebooks, .py files, nested folders, a .zip, which is unpacked
by the same hardened intake), graded in the sandbox; the student and earlier scores come from
submission_metadata.json; the results go to <root>/results/results.json."""

from __future__ import annotations

import json
import time
from pathlib import Path

from grader import assignments
from grader.core.api import GradingCore
from grader.core.options import Options
from grader.intake.files import Budget, Received, collect, printable
from grader.intake.submissions import Submission
from grader.intake.uploads import expand_archives, graded_names
from grader.model.results import unreadable
from grader.report.gradescope import Context, results_document

MAX_METADATA = 1 << 20


def receive_hand_in(folder: Path, budget: Budget) -> Received:
    """The hand-in's files, a .zip among them unpacked in its place, all within one budget."""
    received = collect(folder, budget)
    expand_archives(received, budget)
    return received


def read_metadata(path: Path) -> dict:
    """submission_metadata.json, or {} when it is missing or not what Gradescope writes."""
    try:
        if path.stat().st_size > MAX_METADATA:
            return {}
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _list(metadata: dict, key: str) -> list:
    value = metadata.get(key)
    return value if isinstance(value, list) else []


def students(metadata: dict) -> tuple[str, ...]:
    users = _list(metadata, "users")
    names = []
    for user in users:
        if isinstance(user, dict):
            name, sid = str(user.get("name") or ""), str(user.get("sid") or user.get("id") or "")
            names.append(printable(f"{name} ({sid})" if name and sid else name or sid)[:200])
    return tuple(n for n in names if n)


def previous_scores(metadata: dict) -> tuple[float, ...]:
    earlier = _list(metadata, "previous_submissions")
    scores = []
    for entry in earlier:
        score = entry.get("score") if isinstance(entry, dict) else None
        if isinstance(score, (int, float)) and not isinstance(score, bool):
            scores.append(float(score))
    return tuple(scores)


def run(
    root: Path,
    assignment_id: str,
    solutions: Path | None,
    policy: str = "latest",
    visibility: str = "visible",
) -> dict:
    """Grade the hand-in under `root` and write <root>/results/results.json; returns it."""
    started = time.monotonic()
    options = Options()
    assignment = assignments.get(assignment_id)
    metadata = read_metadata(root / "submission_metadata.json")
    who = students(metadata)
    received = receive_hand_in(root / "submission", options.budget)
    notes = tuple(f"{printable(name)}: {why}" for name, why in received.refused.items())
    label, student = "submission", who[0] if who else "student"
    names = graded_names(received.files)
    core = GradingCore(options, solutions)
    if names:
        submission = Submission(
            label, student, assignment.id, None, names, tuple(sorted(received.files.items()))
        )
        result = core.grade(submission)
    else:
        found = ", ".join(sorted(received.files)) or "nothing"
        reason = f"the hand-in holds no notebook or .py file (found: {printable(found)[:300]})"
        result = unreadable(assignment, label, student, reason, core.grader(assignment.id).provenance)
    context = Context(visibility, policy, previous_scores(metadata), who, notes, time.monotonic() - started)
    document = results_document(result, context)
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return document


def warm(assignment_id: str, solutions: Path | None) -> None:
    """Build the plan once (cases into the cache), as the bundle's install step does."""
    GradingCore(Options(), solutions).grader(assignment_id)
