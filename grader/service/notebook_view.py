"""A stored file as the read-only notebook page shows it: markdown cells rendered inert
(markup.py), code and raw cells as escaped text, no outputs. A student's file may be built to
make this page costly (a million empty cells, a code cell of many megabytes, the same big
notebook asked for again and again), so the view is bounded: the first MAX_CELLS cells and
MAX_SHOWN characters of source, the rest counted in a note that points to the download; and
the last few views are kept (by the file's content), so reloading a page costs no rendering."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from markupsafe import Markup

from grader.intake.nbjson import NotebookError
from grader.service import markup
from grader.service.answers import notebook_cells

MAX_CELLS = 1_000
"""Cells shown of one notebook (the course's notebooks have 30 to 60)."""
MAX_SHOWN = 2_000_000
"""Characters of cell source shown on one page (the course's notebooks have 10,000 to 30,000)."""
CACHED_VIEWS = 16
"""Views kept, most recently used first, ..."""
CACHED_CHARS = 48 * 2**20
"""... and at most this many characters of them in all."""


@dataclass(frozen=True)
class View:
    cells: tuple[tuple[str, Markup | str], ...]
    """(cell type, what to show): Markup for rendered markdown, plain text for the rest."""
    problem: str = ""
    """Why the file is not shown as a notebook, or what of it is left out."""

    def size(self) -> int:
        return sum(len(shown) for _, shown in self.cells) + len(self.problem)


def _build(name: str, data: bytes) -> View:
    if not name.endswith(".ipynb"):
        cells = [{"cell_type": "code", "source": data.decode("utf-8", "replace")}]
    else:
        try:
            cells = notebook_cells(data)
        except NotebookError as exc:
            return View((), f"{name} cannot be shown: {exc}")
    shown = markup.renderer()
    view: list[tuple[str, Markup | str]] = []
    budget = MAX_SHOWN
    for cell in cells[:MAX_CELLS]:
        source = cell["source"]
        if len(source) > budget:
            break
        budget -= len(source)
        kind = cell["cell_type"]
        view.append((kind, shown.markdown(source) if kind == "markdown" else markup.plain(source)))
    left = len(cells) - len(view)
    problem = ""
    if left:
        problem = (
            f"{left} of the {len(cells)} cells are not shown (a page shows at most {MAX_CELLS:,} cells "
            f"and {MAX_SHOWN:,} characters): download the file to read them."
        )
    return View(tuple(view), problem)


class _Views:
    """The last views built, by file name and content; safe across the server's threads."""

    def __init__(self) -> None:
        self.kept: OrderedDict[tuple[str, str], View] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, name: str, data: bytes) -> View:
        key = (name, hashlib.sha256(data).hexdigest())
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
        view = _build(name, data)
        with self.lock:
            self.kept[key] = view
            while len(self.kept) > CACHED_VIEWS or (
                len(self.kept) > 1 and sum(v.size() for v in self.kept.values()) > CACHED_CHARS
            ):
                self.kept.popitem(last=False)
        return view


_views = _Views()


def view_of(name: str, data: bytes) -> View:
    """The page's view of the stored file `name` holding `data`."""
    return _views.get(name, data)
