"""notebook_view.py's bounds, without a service: a notebook built to make its read-only page
costly shows its first cells and a note, and a view asked for again is not rendered again."""

from __future__ import annotations

import json

from grader.service import notebook_view


def notebook(*sources: str, kind: str = "markdown") -> bytes:
    cells = [{"cell_type": kind, "source": s, "metadata": {}} for s in sources]
    if kind == "code":
        for cell in cells:
            cell.update(outputs=[], execution_count=None)
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_a_notebook_of_many_cells_shows_the_first_and_says_how_many_are_left():
    view = notebook_view.view_of("many.ipynb", notebook(*(f"cell {k}" for k in range(2_500))))
    assert len(view.cells) == notebook_view.MAX_CELLS
    assert view.cells[0] == ("markdown", "<p>cell 0</p>\n")
    assert "1500 of the 2500 cells are not shown" in view.problem and "download" in view.problem


def test_source_past_the_page_budget_is_left_out_with_a_note():
    big = "x = 1\n" * (notebook_view.MAX_SHOWN // 6)
    view = notebook_view.view_of("big.ipynb", notebook("a = 0", big, "b = 2", kind="code"))
    assert [shown for _, shown in view.cells] == ["a = 0"]
    assert "2 of the 3 cells are not shown" in view.problem
    other = notebook_view.view_of("big.py", ("y" * (notebook_view.MAX_SHOWN + 1)).encode())
    assert other.cells == () and "1 of the 1 cells" in other.problem


def test_a_file_that_is_not_a_notebook_says_why():
    view = notebook_view.view_of("broken.ipynb", b"\xff{")
    assert view.cells == () and view.problem == "broken.ipynb cannot be shown: not UTF-8 text"
    plain = notebook_view.view_of("notes.txt", b"<b>hi</b>")
    assert plain.cells == (("code", "<b>hi</b>"),) and plain.problem == ""  # the template escapes it


def test_a_view_asked_for_again_is_kept_and_the_kept_ones_are_bounded(monkeypatch):
    views = notebook_view._Views()
    built: list[str] = []
    real = notebook_view._build
    monkeypatch.setattr(notebook_view, "_build", lambda name, data: built.append(name) or real(name, data))
    first = views.get("a.ipynb", notebook("same"))
    assert views.get("a.ipynb", notebook("same")) is first and built == ["a.ipynb"]
    assert views.get("b.ipynb", notebook("same")) is not first  # another name, another view
    for k in range(notebook_view.CACHED_VIEWS + 5):
        views.get("a.ipynb", notebook(f"text {k}"))
    assert len(views.kept) == notebook_view.CACHED_VIEWS
    monkeypatch.setattr(notebook_view, "CACHED_CHARS", 30)
    views.get("c.ipynb", notebook("a longer text than thirty characters in all"))
    assert list(views.kept) == [("c.ipynb", next(iter(views.kept))[1])]
