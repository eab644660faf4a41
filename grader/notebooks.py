"""Reading a submission's files into units the sandbox runs: a notebook's code cells in order
(as a kernel would run them), or a .py file whole. Parsing happens here, in the grader, with
json/nbformat only: nothing in a file is executed by this module."""

from __future__ import annotations

from pathlib import Path

import nbformat

from grader.sandbox import Unit

MAX_FILE_BYTES = 5 << 20


class UnreadableSubmission(Exception):
    """A file that cannot be read or parsed; the message names it and says why."""


def read_unit(path: Path) -> Unit:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableSubmission(
                f"{path}: file is {size} bytes, more than the {MAX_FILE_BYTES}-byte limit"
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UnreadableSubmission(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UnreadableSubmission(f"{path}: cannot be read ({exc.strerror})") from None
    if path.suffix == ".py":
        return Unit(path.name, (text,), notebook=False)
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for a broken file
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreadableSubmission(f"{path}: not a valid Jupyter notebook ({first_line[:200]})") from None
    cells = tuple(
        str(cell.get("source", "")) for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"
    )
    return Unit(path.name, cells, notebook=True)


def read_units(paths: tuple[Path, ...]) -> list[Unit]:
    return [read_unit(path) for path in paths]
