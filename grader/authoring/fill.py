"""Filling the released notebooks' stubs with code, as a student would: each stub cell
`def name(...): ... raise NotImplementedError()` is replaced by that function's definition
from a .py file. Used to build the bundled example submissions and test notebooks."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import nbformat

STUB = re.compile(r"^def (\w+)\(", re.MULTILINE)


def definitions(source: str) -> dict[str, str]:
    """Top-level function name -> its source text (decorators included)."""
    tree = ast.parse(source)
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            out[node.name] = "\n".join(source.splitlines()[start - 1 : node.end_lineno])
    return out


def helpers(source: str) -> str:
    """Imports and private helpers (names starting with _), to go in the first code cell."""
    tree = ast.parse(source)
    lines = source.splitlines()
    keep = [
        n
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom))
        or (isinstance(n, ast.FunctionDef) and n.name.startswith("_"))
    ]
    return "\n\n".join("\n".join(lines[n.lineno - 1 : n.end_lineno]) for n in keep)


def fill(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """Replace each stub with the student's function; imports and private helpers go at the top
    of the first answer cell (the setup cell is locked: nbgrader would restore it)."""
    filled = copy.deepcopy(notebook)
    defs = definitions(source)
    pending_helpers = helpers(source)
    for cell in filled.cells:
        if cell.cell_type != "code":
            continue
        match = STUB.match(cell.source)
        if match and "NotImplementedError" in cell.source and match.group(1) in defs:
            cell.source = defs[match.group(1)]
            if pending_helpers:
                cell.source = pending_helpers + "\n\n\n" + cell.source
                pending_helpers = ""
    return filled


def fill_file(released: Path, source: Path, out: Path) -> None:
    notebook = nbformat.read(released, as_version=4)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fill(notebook, source.read_text(encoding="utf-8")), out)
