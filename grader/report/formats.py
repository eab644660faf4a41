"""Writing results: SPEC section 5 JSON, one CSV row per student, or a readable table."""

from __future__ import annotations

import csv
import io
import json

import hypothesis

from grader import __version__
from grader.model.results import Status, SubmissionResult
from grader.report.safe import csv_cell, terminal


def json_text(submissions: list[dict], seed: int, cases: int) -> str:
    """The one way results are written as JSON, so merged shards equal an unsharded run."""
    document = {
        "submissions": submissions,
        "seed": seed,
        "cases_per_function": cases,
        "grader_version": __version__,
        "hypothesis_version": hypothesis.__version__,
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def as_json(results: list[SubmissionResult], seed: int, cases: int) -> str:
    return json_text([r.to_json() for r in results], seed, cases)


def csv_from_documents(submissions: list[dict]) -> str:
    """One row per submission and a column per exercise, from SPEC section 5 dictionaries. A
    batch that mixes assignments has every assignment's columns (empty where one does not
    apply) and the assignment in the last column."""
    ids = list(dict.fromkeys(e["id"] for s in submissions for e in s["exercises"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "submission", "score", "max_score", *ids, "assignment"])
    for s in submissions:
        by_id = {e["id"]: e for e in s["exercises"]}
        cells = [
            "" if i not in by_id or by_id[i]["status"] == Status.MANUAL else f"{by_id[i]['score']:g}"
            for i in ids
        ]
        row = [
            csv_cell(s["student"]),
            csv_cell(s["submission"]),
            f"{s['score']:g}",
            f"{s['max_score']:g}",
            *cells,
        ]
        writer.writerow([*row, csv_cell(s.get("assignment", ""))])
    return buffer.getvalue()


def as_csv(results: list[SubmissionResult]) -> str:
    return csv_from_documents([r.to_json() for r in results])


def as_table(results: list[SubmissionResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"{terminal(r.student)}  ({terminal(r.submission)})  {r.score:g} / {r.max_score:g}")
        for e in r.exercises:
            mark = "  (by hand)" if e.status == Status.MANUAL else ""
            score = "-" if e.status == Status.MANUAL else f"{e.score:g}"
            lines.append(f"  {e.id:<26} {score:>5} / {e.max_score:<3g} {e.status}{mark}")
        for problem in r.problems[:5]:
            lines.append(f"  ! {terminal(problem)}")
        lines.append("")
    for assignment in sorted({r.assignment for r in results}):
        group = [r for r in results if r.assignment == assignment]
        if len(group) > 1:
            mean = sum(r.score for r in group) / len(group)
            lines.append(
                f"{assignment}: {len(group)} submissions, mean score {mean:.2f} / {group[0].max_score:g}"
            )
    return "\n".join(lines) + "\n"


def as_gradescope(results: list[SubmissionResult], seed: int, cases: int) -> str:
    from grader.report.gradescope import results_json

    return results_json(results)


FORMATS = {
    "table": lambda results, seed, cases: as_table(results),
    "json": as_json,
    "csv": lambda results, seed, cases: as_csv(results),
    "gradescope": as_gradescope,
}
