"""`grader report`: where the class went wrong, in one self-contained HTML page (matplotlib
plots embedded as PNG) and a CSV of per-exercise scores, from a `grade --format json` file."""

from __future__ import annotations

import base64
import html
import io
import json
from collections import Counter
from pathlib import Path

from grader.report.formats import csv_from_documents


class BadResults(Exception):
    pass


def load_results(path: Path) -> list[dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadResults(f"{path}: not a readable results file ({exc})") from None
    submissions = document.get("submissions") if isinstance(document, dict) else None
    if not isinstance(submissions, list) or not all(
        isinstance(s, dict) and "exercises" in s for s in submissions
    ):
        raise BadResults(f"{path}: no 'submissions' list as `grader grade --format json` writes it")
    return submissions


def _figure_png(draw) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 3.6), dpi=110)
    draw(axes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _autograded(submission: dict) -> list[dict]:
    return [e for e in submission["exercises"] if e.get("status") != "manual"]


def statistics(submissions: list[dict]) -> dict:
    ids = list(dict.fromkeys(e["id"] for s in submissions for e in _autograded(s)))
    pass_rate, mean_fraction = {}, {}
    for exercise_id in ids:
        entries = [e for s in submissions for e in s["exercises"] if e["id"] == exercise_id]
        pass_rate[exercise_id] = sum(e["status"] == "passed" for e in entries) / len(entries)
        mean_fraction[exercise_id] = sum(e["score"] / e["max_score"] for e in entries) / len(entries)
    mistakes = Counter(
        (e["id"], e["mistake"]) for s in submissions for e in _autograded(s) if e.get("mistake")
    )
    statuses = Counter(e["status"] for s in submissions for e in _autograded(s))
    return {
        "ids": ids,
        "pass_rate": pass_rate,
        "mean_fraction": mean_fraction,
        "mistakes": mistakes,
        "statuses": statuses,
        "scores": [s["score"] for s in submissions],
        "max_score": submissions[0]["max_score"] if submissions else 0,
    }


def section(submissions: list[dict], heading: str) -> str:
    """One assignment's part of the report: scores, pass rates and recognised mistakes."""
    stats = statistics(submissions)
    scores, ids = stats["scores"], stats["ids"]

    def histogram(ax):
        ax.hist(
            scores, bins=min(20, max(5, len(scores))), range=(0, stats["max_score"] or 1), color="#0969da"
        )
        ax.set(xlabel="score", ylabel="students", title="Score distribution")
        ax.yaxis.get_major_locator().set_params(integer=True)

    def pass_rates(ax):
        ax.bar(ids, [stats["pass_rate"][i] * 100 for i in ids], color="#1a7f37", label="full marks")
        ax.plot(
            ids,
            [stats["mean_fraction"][i] * 100 for i in ids],
            "o",
            color="#9a6700",
            label="mean % of points",
        )
        ax.set(ylabel="% of students", ylim=(0, 105), title="Pass rate per exercise")
        ax.tick_params(axis="x", rotation=60, labelsize=8)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)

    top = stats["mistakes"].most_common(15)

    def mistakes(ax):
        labels = [f"{exercise}: {key}" for (exercise, key), _ in top][::-1]
        ax.barh(labels or ["(none recognised)"], [n for _, n in top][::-1] or [0], color="#cf222e")
        ax.set(xlabel="submissions", title="Recognised mistakes")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(axis="y", labelsize=8)

    images = [_figure_png(histogram), _figure_png(pass_rates), _figure_png(mistakes)]
    mean = sum(scores) / len(scores) if scores else 0.0
    rows = "".join(
        f"<tr><td><code>{html.escape(i)}</code></td><td>{stats['pass_rate'][i] * 100:.0f}%</td>"
        f"<td>{stats['mean_fraction'][i] * 100:.0f}%</td></tr>"
        for i in ids
    )
    mistake_rows = "".join(
        f"<tr><td><code>{html.escape(exercise)}</code></td><td>{html.escape(key)}</td><td>{n}</td></tr>"
        for (exercise, key), n in stats["mistakes"].most_common()
    )
    figures = "".join(f'<img alt="plot" src="data:image/png;base64,{png}">' for png in images)
    statuses = ", ".join(f"{html.escape(k)} {v}" for k, v in sorted(stats["statuses"].items()))
    return (
        f"<section><h2>{html.escape(heading)}</h2><p>{len(scores)} submissions, mean score {mean:.1f} / "
        f"{stats['max_score']:g}; statuses: {statuses}.</p>"
        f"{figures}<h3>Per exercise</h3><table><tr><th>exercise</th><th>full marks</th><th>mean</th></tr>{rows}</table>"
        f"<h3>Recognised mistakes</h3><table><tr><th>exercise</th><th>mistake</th><th>submissions</th></tr>"
        f"{mistake_rows}</table></section>"
    )


STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem}"
    "img{max-width:100%;display:block;margin:1rem 0}table{border-collapse:collapse}"
    "td,th{padding:.3rem .7rem;border-bottom:1px solid #d0d7de;text-align:left}"
)


def by_assignment(submissions: list[dict]) -> dict[str, list[dict]]:
    """Submissions grouped by assignment (results written before assignments existed are hw1)."""
    groups: dict[str, list[dict]] = {}
    for submission in submissions:
        groups.setdefault(str(submission.get("assignment", "hw1")), []).append(submission)
    return dict(sorted(groups.items()))


def build_report(submissions: list[dict], title: str = "Class report") -> str:
    sections = "".join(section(group, assignment) for assignment, group in by_assignment(submissions).items())
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"{sections or '<p>No submissions.</p>'}</body></html>\n"
    )


def write_report(results_path: Path, output: Path, csv_path: Path | None = None) -> tuple[Path, Path]:
    submissions = load_results(results_path)
    output.write_text(build_report(submissions, f"Class report: {results_path.name}"), encoding="utf-8")
    csv_path = csv_path or output.with_suffix(".csv")
    csv_path.write_text(csv_from_documents(submissions), encoding="utf-8")
    return output, csv_path
