"""Builds the released student notebooks (assignments/*.ipynb) and their standalone
selfcheck.py from grader/authoring/content.py. A test keeps the committed files equal to
what this writes, so the notebooks, stubs and self-checks cannot drift apart.

Run: python -m grader.authoring.build [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat import v4

from grader.authoring import content
from grader.authoring.content import Section

SELFCHECK = Path(__file__).resolve().parent.parent / "student" / "selfcheck.py"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def _stub(section: Section) -> str:
    return (
        f"def {section.signature}:\n"
        f'    """{section.docstring}"""\n'
        f"    # YOUR CODE HERE\n"
        f"    raise NotImplementedError()"
    )


def _check(section: Section) -> str:
    return f'check("{section.name}", {section.name})'


def notebook(intro: str, sections: tuple[Section, ...], written: str) -> nbformat.NotebookNode:
    cells = [
        v4.new_markdown_cell(intro),
        v4.new_code_cell("import numpy as np\n\nfrom selfcheck import check  # solution-free self-checks"),
    ]
    for section in sections:
        cells += [
            v4.new_markdown_cell(section.markdown),
            v4.new_code_cell(_stub(section)),
            v4.new_code_cell(_check(section)),
        ]
    cells += [v4.new_markdown_cell(written), v4.new_markdown_cell(content.ANSWER_CELL)]
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
    return nb


def render() -> dict[str, str]:
    """File name -> exact text of every released file."""
    books = {
        "backprop.ipynb": notebook(content.BACKPROP_INTRO, content.BACKPROP, content.BACKPROP_WRITTEN),
        "gradient_descent.ipynb": notebook(content.DESCENT_INTRO, content.DESCENT, content.DESCENT_WRITTEN),
    }
    files = {name: nbformat.writes(nb) + "\n" for name, nb in books.items()}
    files["selfcheck.py"] = SELFCHECK.read_text(encoding="utf-8")
    return files


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path("assignments")
    out.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
