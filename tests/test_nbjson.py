"""A notebook's JSON read as hostile input, in process (grader/intake/nbjson.py): every refusal
read_cells makes, word for word, with the cell it names; what it gives back for formats 2, 3 and
4; and the checks examine and problem make before parsing (size, UTF-8). Fast, with no child
process, so mutation testing can run them (docs/mutation.md)."""

from __future__ import annotations

import json

import pytest

from grader.intake.nbjson import NotebookError, bound_names, examine, names_in, problem, read_cells


def v4(*cells: object, **extra: object) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells), **extra})


def refusal(text: str) -> str:
    with pytest.raises(NotebookError) as raised:
        read_cells(text)
    return str(raised.value)


def test_format_4_cells_come_back_in_order_with_their_text_joined_and_nbgrader_metadata():
    cells = read_cells(
        v4(
            {"cell_type": "markdown", "source": ["# Title\n", "text"]},
            {"cell_type": "code", "source": "x = 1", "metadata": {"nbgrader": {"grade_id": "q1"}, "k": 2}},
            {"cell_type": "raw"},
        )
    )
    assert cells == [
        {"cell_type": "markdown", "source": "# Title\ntext", "metadata": {"nbgrader": {}}},
        {"cell_type": "code", "source": "x = 1", "metadata": {"nbgrader": {"grade_id": "q1"}, "k": 2}},
        {"cell_type": "raw", "source": "", "metadata": {"nbgrader": {}}},
    ]


def test_null_metadata_and_null_nbgrader_read_as_empty_objects():
    [cell] = read_cells(v4({"cell_type": "code", "source": "", "metadata": None}))
    assert cell["metadata"] == {"nbgrader": {}}
    [cell] = read_cells(v4({"cell_type": "code", "source": "", "metadata": {"nbgrader": None}}))
    assert cell["metadata"] == {"nbgrader": {}}


def test_formats_2_and_3_read_code_from_input_across_worksheets_numbering_cells_throughout():
    for version in (2, 3):
        text = json.dumps(
            {
                "nbformat": version,
                "worksheets": [
                    {"cells": [{"cell_type": "code", "input": ["a = 1\n", "b = 2"], "source": "ignored"}]},
                    None,
                    {},
                    {"cells": [{"cell_type": "markdown", "source": "words", "input": "ignored"}]},
                ],
            }
        )
        assert read_cells(text) == [
            {"cell_type": "code", "source": "a = 1\nb = 2", "metadata": {"nbgrader": {}}},
            {"cell_type": "markdown", "source": "words", "metadata": {"nbgrader": {}}},
        ]
    assert read_cells(json.dumps({"nbformat": 3})) == [], "no worksheets: no cells"
    two_sheets = {
        "nbformat": 3,
        "worksheets": [
            {"cells": [{"cell_type": "code"}, {"cell_type": "code"}]},
            {"cells": [{"cell_type": "raw"}, 7]},
        ],
    }
    assert refusal(json.dumps(two_sheets)) == "cell 4 must be an object, not a number"


@pytest.mark.parametrize(
    ("document", "why"),
    [
        ('["a", "b"]', "not a notebook: the JSON is a list, not an object"),
        ("[1, 2]", "not a notebook: the JSON is a list holding a number, not an object"),
        ('"text"', "not a notebook: the JSON is text, not an object"),
        ("null", "not a notebook: the JSON is null, not an object"),
        ("true", "not a notebook: the JSON is true or false, not an object"),
        ("{}", "nbformat must be 2, 3 or 4, not null; save it again with Jupyter"),
        ('{"nbformat": 5}', "nbformat must be 2, 3 or 4, not 5; save it again with Jupyter"),
        ('{"nbformat": 1}', "nbformat must be 2, 3 or 4, not 1; save it again with Jupyter"),
        ('{"nbformat": 999}', "nbformat must be 2, 3 or 4, not 999; save it again with Jupyter"),
        ('{"nbformat": -999}', "nbformat must be 2, 3 or 4, not -999; save it again with Jupyter"),
        ('{"nbformat": 1000}', "nbformat must be 2, 3 or 4, not a number; save it again with Jupyter"),
        ('{"nbformat": -1000}', "nbformat must be 2, 3 or 4, not a number; save it again with Jupyter"),
        ('{"nbformat": true}', "nbformat must be 2, 3 or 4, not true or false; save it again with Jupyter"),
        ('{"nbformat": "4"}', "nbformat must be 2, 3 or 4, not text; save it again with Jupyter"),
        (
            '{"nbformat": [4]}',
            "nbformat must be 2, 3 or 4, not a list holding a number; save it again with Jupyter",
        ),
        ('{"nbformat": 4}', "cells must be a list, not null"),
        ('{"nbformat": 4, "cells": {}}', "cells must be a list, not an object"),
        ('{"nbformat": 3, "worksheets": {}}', "worksheets must be a list, not an object"),
        ('{"nbformat": 3, "worksheets": [[]]}', "worksheet 1 must be an object, not a list"),
        (
            '{"nbformat": 2, "worksheets": [{}, {"cells": "x"}]}',
            "worksheet 2: cells must be a list, not text",
        ),
    ],
)
def test_a_document_that_is_not_a_notebook_is_refused_in_words(document, why):
    assert refusal(document) == why


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ([], "cell 2 must be an object, not a list"),
        ({"source": ""}, "cell 2: cell_type must be text, not null"),
        ({"cell_type": 3}, "cell 2: cell_type must be text, not a number"),
        ({"cell_type": "code", "metadata": []}, "cell 2: metadata must be an object, not a list"),
        (
            {"cell_type": "code", "metadata": {"nbgrader": "x"}},
            "cell 2: metadata.nbgrader must be an object, not text",
        ),
        (
            {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": 5}}},
            "cell 2: metadata.nbgrader.grade_id must be text, not a number",
        ),
        (
            {"cell_type": "code", "source": 1.5},
            "cell 2: source must be text or a list of text lines, not a number",
        ),
        (
            {"cell_type": "code", "source": ["a", 1, None, {}, 2]},
            "cell 2: source must be text or a list of text lines, "
            "not a list holding a number and an object and null",
        ),
        (
            {"cell_type": "code", "source": [[]]},
            "cell 2: source must be text or a list of text lines, not a list holding a list",
        ),
        (
            {"cell_type": "code", "source": None},
            "cell 2: source must be text or a list of text lines, not null",
        ),
    ],
)
def test_every_field_the_grader_reads_is_checked_and_the_cell_named(cell, why):
    assert refusal(v4({"cell_type": "markdown", "source": "fine"}, cell)) == why


def test_a_format_3_code_cell_is_checked_on_input_not_source():
    text = json.dumps({"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code", "input": 5}]}]})
    assert refusal(text) == "cell 1: input must be text or a list of text lines, not a number"


def test_text_that_is_not_json_or_too_deep_is_refused_not_crashed_on():
    assert refusal("{").startswith("not JSON: Expecting property name enclosed in double quotes")
    assert refusal("[" * 100_000 + "]" * 100_000) == "JSON nested more than about a thousand levels deep"


def test_a_refusal_never_quotes_the_notebook():
    secret = "<script>alert(1)</script>"
    for text in (v4({"cell_type": "code", "source": [secret, 1]}), json.dumps({"nbformat": secret})):
        assert secret not in refusal(text)


def test_examine_caps_the_size_exactly_then_checks_utf8_then_the_notebook():
    code = b"def f(x):\n    return x\n"
    assert examine("a.py", code, len(code)) == ["f"]
    assert examine("a.py", code, len(code) - 1) == (
        f"file is {len(code)} bytes, more than the {len(code) - 1}-byte limit"
    )
    assert examine("a.py", b"\xff", 10) == "not UTF-8 text"
    assert problem("a.py", b"\xff", 10) == "not UTF-8 text"
    assert problem("a.py", b"def (", 10) is None, "a .py file is not parsed: a syntax error is graded"
    assert problem("a.ipynb", b"[]", 10) == (
        "not a valid Jupyter notebook (not a notebook: the JSON is a list, not an object)"
    )
    notebook = v4(
        {"cell_type": "markdown", "source": "def hidden(x): pass"},
        {"cell_type": "code", "source": "def shown(x):\n    pass\n"},
    ).encode()
    assert problem("a.ipynb", notebook, len(notebook)) is None
    assert examine("a.ipynb", notebook, len(notebook)) == ["shown"], "names come from code cells only"


def test_bound_names_reads_defs_and_assignments_at_the_top_level_in_order_each_once():
    source = (
        "import numpy as np\n"
        "def sigmoid(z):\n"
        "    inner = 1\n"
        "    return z\n"
        "async  def\tfetch():\n"
        "    pass\n"
        "forward = lambda x: x\n"
        "loss: float = 0.0\n"
        "eta == 3\n"
        "%timeit sigmoid(1)\n"
        "def ｓｉｇｍｏｉｄ(z): pass\n"
        "_private = 2\n"
        "1bad = 3\n"
    )
    assert bound_names("a.py", source) == ["sigmoid", "fetch", "forward", "loss", "_private"]
    notebook = v4({"cell_type": "code", "source": "b = 1"}, {"cell_type": "code", "source": "a = 2\nb = 3"})
    assert bound_names("a.ipynb", notebook) == ["b", "a"]


def test_names_in_stops_at_a_thousand():
    names = names_in(["\n".join(f"n{i} = {i}" for i in range(1500))])
    assert names == [f"n{i}" for i in range(1000)]
    assert names_in([f"n{i} = 1" for i in range(999)]) == [f"n{i}" for i in range(999)]
