"""Per-student feedback files: one Markdown and one self-contained HTML page per submission,
with the score per exercise, what was checked and what to fix."""

from __future__ import annotations

import html
from pathlib import Path

from grader import assignments
from grader.model.results import Status, SubmissionResult
from grader.report import safe

STATUS_COLOURS = {
    "passed": "#1a7f37",
    "partial": "#9a6700",
    "failed": "#cf222e",
    "error": "#cf222e",
    "timeout": "#8250df",
    "missing": "#57606a",
    "manual": "#0969da",
}

CHECKED = {
    "gradient": "compared with the reference on every case and checked against centred finite differences",
    "bound": "compared with the reference, and GD run just inside and just outside each bound",
    "value": "compared with the reference on every case",
}


def what_was_checked(assignment_id: str, exercise_id: str, cases: int) -> str:
    exercise = assignments.get(assignment_id).by_name.get(exercise_id)
    if exercise is None:
        return "graded by hand"
    kind = "bound" if exercise.step_size_bound else "gradient" if exercise.finite_difference else "value"
    return f"{cases} random cases, {CHECKED[kind]}"


def file_stem(result: SubmissionResult) -> str:
    """A safe, unique-enough file name: the student id plus the assignment folder name."""
    assignment = Path(result.submission).name if Path(result.submission).suffix == "" else ""
    raw = f"{result.student}-{assignment}" if assignment else result.student
    return safe.file_stem(raw)


def markdown(result: SubmissionResult, cases: int) -> str:
    md = safe.markdown_inline
    lines = [
        f"# Feedback for {md(result.student)}",
        "",
        f"Submission: {md(result.submission)}  ",
        f"Score: **{result.score:g} / {result.max_score:g}**",
        "",
        "| exercise | score | status |",
        "|---|---|---|",
    ]
    for e in result.exercises:
        score = "by hand" if e.status == Status.MANUAL else f"{e.score:g} / {e.max_score:g}"
        lines.append(f"| `{e.id}` | {score} | {e.status} |")
    for problem in result.problems[:10]:
        lines += ["", f"> Note: {md(problem)}"]
    for e in result.exercises:
        if e.status in (Status.PASSED, Status.MANUAL):
            continue
        lines += [
            "",
            f"## `{e.id}`: {e.score:g} / {e.max_score:g} ({e.status})",
            "",
            f"Checked: {what_was_checked(result.assignment, e.id, cases)}.",
            "",
            *safe.markdown_block(e.feedback),
        ]
    passed = [e.id for e in result.exercises if e.status == Status.PASSED]
    if passed:
        lines += ["", "## Passed", "", ", ".join(f"`{p}`" for p in passed)]
    return "\n".join(lines) + "\n"


STYLE = """
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{margin-bottom:.2rem} .meta{color:#57606a;margin-bottom:1.5rem}
.total{font-size:1.6rem;font-weight:600} table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #d0d7de} th{background:#f6f8fa}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
.badge{display:inline-block;padding:.05rem .55rem;border-radius:1rem;color:#fff;font-size:.8rem;font-weight:600}
.bar{background:#eaeef2;border-radius:.3rem;height:.55rem;width:7rem;display:inline-block;vertical-align:middle}
.bar span{display:block;height:100%;border-radius:.3rem;background:#1a7f37}
section{border:1px solid #d0d7de;border-radius:.5rem;padding:.2rem 1rem .8rem;margin:1rem 0}
section h2{font-size:1.1rem} pre{background:#f6f8fa;padding:.8rem;border-radius:.4rem;white-space:pre-wrap;word-break:break-word}
.note{background:#fff8c5;border-left:4px solid #d4a72c;padding:.4rem .8rem;margin:.5rem 0}
.checked{color:#57606a;font-size:.9rem}
"""


def _badge(status: str) -> str:
    return f'<span class="badge" style="background:{STATUS_COLOURS.get(status, "#57606a")}">{status}</span>'


def feedback_html(result: SubmissionResult, cases: int) -> str:
    """The feedback itself, as an HTML fragment: the total, notes, the score per exercise, and
    what to fix. The feedback pages and the grading service's pages both show exactly this."""
    e_ = html.escape
    rows = []
    for e in result.exercises:
        fraction = 0 if e.max_score == 0 or e.status == Status.MANUAL else e.score / e.max_score
        score = "by hand" if e.status == Status.MANUAL else f"{e.score:g} / {e.max_score:g}"
        rows.append(
            f"<tr><td><code>{e_(e.id)}</code></td><td>{score}</td>"
            f'<td><span class="bar"><span style="width:{fraction * 100:.0f}%"></span></span></td>'
            f"<td>{_badge(e.status)}</td></tr>"
        )
    notes = "".join(f'<div class="note">{e_(p)}</div>' for p in result.problems[:10])
    sections = []
    for e in result.exercises:
        if e.status in (Status.PASSED, Status.MANUAL):
            continue
        sections.append(
            f"<section><h2><code>{e_(e.id)}</code> {_badge(e.status)} {e.score:g} / {e.max_score:g}</h2>"
            f'<div class="checked">Checked: {e_(what_was_checked(result.assignment, e.id, cases))}.</div>'
            f"<pre>{e_(e.feedback)}</pre></section>"
        )
    fixes = "".join(sections) or "<p>Everything the grader checks is right. Well done.</p>"
    return (
        f'<div class="total">{result.score:g} / {result.max_score:g}</div>{notes}'
        f"<table><tr><th>exercise</th><th>score</th><th></th><th>status</th></tr>{''.join(rows)}</table>"
        f"<h2>What to fix</h2>{fixes}"
    )


def page(result: SubmissionResult, cases: int) -> str:
    e_ = html.escape
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>Feedback: {e_(result.student)}</title><style>{STYLE}</style></head><body>"
        f"<h1>Feedback for {e_(result.student)}</h1>"
        f'<div class="meta">{e_(result.submission)}</div>'
        f"{feedback_html(result, cases)}</body></html>\n"
    )


def write_feedback(results: list[SubmissionResult], folder: Path, cases: int) -> tuple[list[Path], list[str]]:
    """Each submission's Markdown and HTML page; a file that cannot be written is named in the
    second list and costs only itself."""
    folder.mkdir(parents=True, exist_ok=True)
    written, failed, used = [], [], set()
    for result in results:
        stem = file_stem(result)
        while stem in used:
            stem += "_"
        used.add(stem)
        for suffix, render in ((".md", markdown), (".html", page)):
            path = folder / f"{stem}{suffix}"
            try:
                path.write_text(render(result, cases), encoding="utf-8")
            except (OSError, UnicodeError) as exc:
                failed.append(f"{safe.terminal(path)}: {exc}")
                continue
            written.append(path)
    return written, failed
