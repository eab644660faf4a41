"""Text from a submission made safe for each place it is written: names, paths, exception texts
and printed answers are hostile (SPEC: everything a student sends). One function per format."""

from __future__ import annotations

import hashlib
import html
import re

from grader.intake.files import printable

CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
"""Cells a spreadsheet would read as a formula (OWASP, "CSV injection")."""
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def csv_cell(value: object) -> str:
    """Text for a CSV cell: printable, and a leading formula character neutralised with a quote,
    as OWASP recommends. Numbers pass through (a score is never negative)."""
    if isinstance(value, (int, float)):
        return f"{value:g}"
    text = printable(str(value))
    return "'" + text if text.startswith(CSV_FORMULA) else text


def csv_field(text: str) -> str:
    """A cell of a CSV written by someone else (nbgrader's export): numbers as they are, any
    other text through csv_cell."""
    try:
        float(text)
    except ValueError:
        return csv_cell(text)
    return text


def terminal(value: object) -> str:
    """Text for a terminal: no escape sequences, carriage returns or newlines of its own."""
    return printable(str(value))


def markdown_inline(value: object) -> str:
    """Text inside a Markdown line: raw HTML escaped (Jupyter renders it), Markdown punctuation
    escaped, one line."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(printable(str(value)), quote=True))


def markdown_block(text: str, info: str = "text") -> list[str]:
    """A fenced code block that no text can close early: the fence is longer than any run of
    backticks inside."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return [f"{fence}{info}", text, fence]


def file_stem(raw: str, limit: int = 80) -> str:
    """A file name from any text: letters, digits, `_`, `.`, `-` only, at most `limit`
    characters, with a short hash when anything had to change, so different names stay apart."""
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", raw).strip("._") or "submission"
    if clean == raw and len(clean) <= limit:
        return clean
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{clean[: limit - 11]}-{digest}"
