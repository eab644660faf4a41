"""Hostile text made safe for each output (grader/report/safe.py) and the feedback pages built
with it (grader/report/student_files.py), unit by unit: a student's name, a path or an
exception text never becomes a formula, markup or the end of a code block."""

from __future__ import annotations

import re

import pytest

from conftest import HW1
from grader.model.results import unreadable
from grader.report import safe
from grader.report.student_files import markdown, page

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", '=HYPERLINK("x")']
HOSTILE = '<img src=x onerror=alert(1)><script>alert("x")</script>'


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_a_spreadsheet_would_read_as_a_formula_is_quoted(text):
    assert safe.csv_cell(text) == "'" + text
    assert safe.csv_field(text) == "'" + text


def test_ordinary_cells_and_numbers_are_left_alone():
    assert safe.csv_cell("ada") == "ada" and safe.csv_cell("a-b+c=d") == "a-b+c=d"
    assert safe.csv_cell(7.5) == "7.5" and safe.csv_cell(3) == "3"
    assert safe.csv_field("-2") == "-2" and safe.csv_field("+1.5e3") == "+1.5e3", "numbers are numbers"
    assert safe.csv_cell("\x1b[2J=x") == "\\x1b[2J=x", "control characters are shown, never sent"


@pytest.mark.parametrize("run", [0, 1, 2, 3, 4, 7])
def test_a_code_block_is_fenced_longer_than_any_run_of_backticks_inside(run):
    text = f"before {'`' * run} after\n```\nnot the end"
    opening, body, closing = safe.markdown_block(text)
    fence = "`" * max(3, run + 1, 4)
    assert (opening, body, closing) == (fence + "text", text, fence)
    assert not any(line.strip().startswith(fence) for line in body.splitlines())


def test_a_plain_code_block_uses_three_backticks():
    assert safe.markdown_block("x = 1", "python") == ["```python", "x = 1", "```"]


def test_markdown_inline_escapes_markup_and_punctuation():
    text = safe.markdown_inline(HOSTILE + " *bold* `code` [link](x)\n# title")
    assert "<" not in text and "`" not in text.replace("\\`", "")
    assert "\\*bold\\*" in text and "\\[link\\]\\(x\\)" in text and "\n" not in text


def hostile_result(name: str = HOSTILE, reason: str = "````\n</pre><script>x</script>\n````"):
    return unreadable(HW1, f"submitted/{name}/hw1", name, reason)


def test_the_html_page_escapes_the_name_everywhere():
    text = page(hostile_result(), 20)
    assert "<img" not in text and "<script>alert" not in text and "</script>\n" not in text
    assert "<h1>Feedback for &lt;img src=x onerror=alert(1)&gt;&lt;script&gt;" in text
    assert "<title>Feedback: &lt;img" in text
    assert "&lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;" in text, "feedback text is escaped too"


def test_the_markdown_page_escapes_the_name_and_fences_the_feedback():
    text = markdown(hostile_result(), 20)
    assert text.startswith("# Feedback for &lt;img src=x onerror=alert\\(1\\)&gt;")
    fenced = re.compile(r"^(`{3,})text\n(.*?)\n\1$", flags=re.MULTILINE | re.DOTALL)
    blocks = fenced.findall(text)
    assert len(blocks) == len(HW1.exercises), "one block per exercise, each closed where it should be"
    assert all(len(fence) == 5 for fence, _ in blocks), "longer than the 4 backticks inside"
    assert "<" not in fenced.sub("", text), "outside code blocks, no markup at all"


def test_markdown_inline_escapes_quotes_for_attributes():
    assert safe.markdown_inline("a\"b'c") == "a&quot;b&\\#x27;c"


def test_terminal_text_has_no_escape_sequences_or_line_breaks():
    assert safe.terminal("\x1b[2Jok\r\nnext") == "\\x1b[2Jok\\x0d\\x0anext"
    assert safe.terminal(3.5) == "3.5"


def test_file_stems_are_safe_short_and_distinct():
    assert safe.file_stem("ada-hw1") == "ada-hw1", "a safe name is kept as it is"
    assert safe.file_stem("a.b_c-1") == "a.b_c-1" and safe.file_stem("XAVIER-Hw1X") == "XAVIER-Hw1X"
    hostile = safe.file_stem("../<img src=x>/..")
    assert re.fullmatch(r"img_src_x-[0-9a-f]{10}", hostile), hostile
    assert safe.file_stem("a b") != safe.file_stem("a/b") and safe.file_stem("a b").startswith("a_b-")
    assert re.fullmatch(r"submission-[0-9a-f]{10}", safe.file_stem("..."))
    long = safe.file_stem("n" * 250)
    assert len(long) == 80 and long.startswith("n" * 69 + "-"), long
    assert len(safe.file_stem("n" * 80)) == 80 and safe.file_stem("n" * 80) == "n" * 80
    assert len(safe.file_stem("é" * 20, limit=30)) <= 30
    assert safe.file_stem("bad-\udcff") != safe.file_stem("bad-\udcfe"), "undecodable bytes stay apart"
