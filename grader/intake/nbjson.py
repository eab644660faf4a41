"""A notebook's JSON read as hostile input, with the standard library only: the cells a grader
needs, each value checked for the type it is used as, so a malformed notebook is a sentence
naming the problem and never an exception from deep inside. Formats 2 and 3 are upgraded here,
field by field, rather than by nbformat: its upgrade and schema validation took seconds per
megabyte (about 4 s for a 5 MiB notebook of small cells), which a student could make the
service spend at will. Nothing here imports the rest of the grader, so checking.py can run
this file alone in a limited child process."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

SUPPORTED = (2, 3, 4)


class NotebookError(Exception):
    """Why a notebook cannot be read, in words that never quote the file's content."""


def _text(value: Any, what: str) -> str:
    """A notebook string: text, or a list of text lines joined (as Jupyter writes them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    raise NotebookError(f"{what} must be text or a list of text lines, not {_kind(value)}")


def _kind(value: Any) -> str:
    if isinstance(value, list):
        inner = sorted({_kind(v) for v in value if not isinstance(v, str)})
        return f"a list holding {' and '.join(inner)}" if inner else "a list"
    return {
        dict: "an object",
        str: "text",
        bool: "true or false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), "something else")


def _object(value: Any, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NotebookError(f"{what} must be an object, not {_kind(value)}")
    return value


def _cell(cell: Any, where: str, source_key: str) -> dict:
    """One cell as {"cell_type", "source", "metadata"} (metadata.nbgrader always an object), every
    field the grader reads checked."""
    if not isinstance(cell, dict):
        raise NotebookError(f"{where} must be an object, not {_kind(cell)}")
    kind = cell.get("cell_type")
    if not isinstance(kind, str):
        raise NotebookError(f"{where}: cell_type must be text, not {_kind(kind)}")
    key = source_key if kind == "code" else "source"
    metadata = _object(cell.get("metadata"), f"{where}: metadata")
    nbgrader = _object(metadata.get("nbgrader"), f"{where}: metadata.nbgrader")
    grade_id = nbgrader.get("grade_id")
    if grade_id is not None and not isinstance(grade_id, str):
        raise NotebookError(f"{where}: metadata.nbgrader.grade_id must be text, not {_kind(grade_id)}")
    source = _text(cell.get(key, ""), f"{where}: {key}")
    return {"cell_type": kind, "source": source, "metadata": {**metadata, "nbgrader": nbgrader}}


def _cells(document: dict, version: int) -> list[dict]:
    if version == 4:
        cells = document.get("cells")
        if not isinstance(cells, list):
            raise NotebookError(f"cells must be a list, not {_kind(cells)}")
        return [_cell(cell, f"cell {k + 1}", "source") for k, cell in enumerate(cells)]
    worksheets = document.get("worksheets", [])
    if not isinstance(worksheets, list):
        raise NotebookError(f"worksheets must be a list, not {_kind(worksheets)}")
    out: list[dict] = []
    for w, sheet in enumerate(worksheets):
        cells = _object(sheet, f"worksheet {w + 1}").get("cells", [])
        if not isinstance(cells, list):
            raise NotebookError(f"worksheet {w + 1}: cells must be a list, not {_kind(cells)}")
        out += [_cell(cell, f"cell {len(out) + k + 1}", "input") for k, cell in enumerate(cells)]
    return out


def read_cells(text: str) -> list[dict]:
    """The notebook's cells in order, each {"cell_type", "source" (text), "metadata"}; raises
    NotebookError. Nesting deeper than the interpreter's recursion limit (json's own guard) is
    refused, not crashed on."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise NotebookError("JSON nested more than about a thousand levels deep") from None
    except ValueError as exc:
        raise NotebookError(f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise NotebookError(f"not a notebook: the JSON is {_kind(document)}, not an object")
    version = document.get("nbformat")
    if isinstance(version, bool) or version not in SUPPORTED:
        small = isinstance(version, int) and not isinstance(version, bool) and abs(version) < 1000
        found = str(version) if small else _kind(version)
        raise NotebookError(f"nbformat must be 2, 3 or 4, not {found}; save it again with Jupyter")
    return _cells(document, version)


BOUND = re.compile(r"^(?:async[ \t]+)?def[ \t]+([^\W\d]\w*)|^([^\W\d]\w*)[ \t]*(?::[^=\n]*)?=(?!=)", re.M)
"""A name bound at the top level of the code: `def name(`, or `name = ...` (a lambda, an alias).
A line-anchored pattern rather than a parse, so a cell with IPython magics or a syntax error
still counts, in time linear in the file's size."""
MAX_NAMES = 1000


def bound_names(name: str, text: str) -> list[str]:
    """The names a .py file or a notebook's code cells bind at their top level (in order, each
    once, at most MAX_NAMES): what tells which assignment an upload is for."""
    if name.endswith(".py"):
        return names_in([text])
    return names_in([c["source"] for c in read_cells(text) if c["cell_type"] == "code"])


def names_in(sources: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for source in sources:
        for match in BOUND.finditer(source):
            # as Python reads an identifier: `def ｓｉｇｍｏｉｄ` defines sigmoid
            found[unicodedata.normalize("NFKC", match.group(1) or match.group(2))] = None
            if len(found) >= MAX_NAMES:
                return list(found)
    return list(found)


def examine(name: str, data: bytes, max_bytes: int) -> str | list[str]:
    """Why the graded file `name` cannot be read (text), or the names it binds (a list); the
    notebook's JSON is read once for both."""
    code = _code(name, data, max_bytes)
    return code if isinstance(code, str) else names_in(code)


def problem(name: str, data: bytes, max_bytes: int) -> str | None:
    """Why the graded file `name` (a notebook, or a .py file) cannot be read, or None: the
    check the service makes before it accepts an upload. Never quotes the content."""
    code = _code(name, data, max_bytes)
    return code if isinstance(code, str) else None


def _code(name: str, data: bytes, max_bytes: int) -> str | list[str]:
    """Why the file cannot be read (text), or its code: a .py file's text, a notebook's code cells."""
    if len(data) > max_bytes:
        return f"file is {len(data)} bytes, more than the {max_bytes}-byte limit"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    if not name.endswith(".ipynb"):
        return [text]
    try:
        cells = read_cells(text)
    except NotebookError as exc:
        return f"not a valid Jupyter notebook ({exc})"
    return [cell["source"] for cell in cells if cell["cell_type"] == "code"]


def _child() -> None:
    """Run as a script (checking.py's child): limits first, then the files from stdin (a JSON
    header line, [[is_notebook, size], ...] and the limits, then the bytes), one JSON line on
    stdout per file as it is done: why it cannot be read (text), or the names it binds (a list)."""
    import os
    import resource
    import sys

    header = json.loads(sys.stdin.buffer.readline(1 << 20))
    resource.setrlimit(resource.RLIMIT_AS, (header["memory"], header["memory"]))
    cpu = int(header["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    os.nice(10)  # the front end's own requests come first
    for is_notebook, size in header["files"]:
        data = sys.stdin.buffer.read(size)
        try:
            answer = examine("x.ipynb" if is_notebook else "x.py", data, header["max_bytes"])
        except MemoryError:
            answer = "too large to read within the memory limit"
        del data
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _child()
