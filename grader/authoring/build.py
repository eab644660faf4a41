"""Builds the nbgrader course's source notebooks (course/source/hw1/) from
grader/authoring/content.py and the reference in solutions/, then the released student
notebooks (assignments/) by running nbgrader's own `generate_assignment` on them.

One source of truth: every solution region is the body of the reference function in
solutions/, and the released notebooks are exactly what nbgrader makes of the source; tests
fail if the committed files differ from what this writes.

Run from the repository root: python -m grader.authoring.build
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat import v4

from grader.authoring import content
from grader.authoring.content import Section
from grader.registry import BY_NAME, WRITTEN

ROOT = Path(__file__).resolve().parent.parent.parent
SELFCHECK = ROOT / "grader" / "student" / "selfcheck.py"
COURSE = ROOT / "course"
ASSIGNMENT = "hw1"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}
SETUP = (
    "import numpy as np\n\nfrom selfcheck import autograde, check  # self-checks; autograde runs when graded"
)


def reference_bodies(notebook: str, solutions: Path = ROOT / "solutions") -> dict[str, str]:
    """Function name -> its body in solutions/<notebook>.py, without the docstring."""
    source = (solutions / f"{notebook}.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    bodies = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            first = node.body[0]
            has_docstring = isinstance(first, ast.Expr) and isinstance(
                getattr(first, "value", None), ast.Constant
            )
            start = first.end_lineno if has_docstring else node.lineno
            bodies[node.name] = "\n".join(lines[start : node.end_lineno])
    return bodies


def _meta(cell, grade_id: str, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _solution_cell(section: Section, body: str):
    text = (
        f'def {section.signature}:\n    """{section.docstring}"""\n    ### BEGIN SOLUTION\n'
        f"{body}\n    ### END SOLUTION"
    )
    return _meta(v4.new_code_cell(text), f"{section.name}-solution", solution=True)


def _test_cell(section: Section):
    points = BY_NAME[section.name].points
    text = (
        f"# Autograded, {points:g} points: the course grader tests {section.name} on many random cases\n"
        f'autograde("{section.name}")'
    )
    return _meta(v4.new_code_cell(text), f"test-{section.name}", grade=True, locked=True, points=points)


def source_notebook(
    name: str, intro: str, sections: tuple[Section, ...], written: str
) -> nbformat.NotebookNode:
    bodies = reference_bodies(name)
    question = next(q for q in WRITTEN if q.notebook == name)
    cells = [
        _meta(v4.new_markdown_cell(intro), f"{name}-intro", locked=True),
        _meta(v4.new_code_cell(SETUP), f"{name}-setup", locked=True),
    ]
    for section in sections:
        cells += [
            _meta(v4.new_markdown_cell(section.markdown), f"{section.name}-text", locked=True),
            _solution_cell(section, bodies[section.name]),
            _meta(
                v4.new_code_cell(f'check("{section.name}", {section.name})'),
                f"{section.name}-check",
                locked=True,
            ),
            _test_cell(section),
        ]
    answer = f"### BEGIN SOLUTION\n{question.prompt}\n### END SOLUTION"
    cells += [
        _meta(v4.new_markdown_cell(written), f"{question.name}-question", locked=True),
        _meta(v4.new_markdown_cell(answer), question.name, grade=True, solution=True, points=question.points),
    ]
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
    return nb


def render_source() -> dict[str, str]:
    """File name -> exact text of every file in course/source/hw1/."""
    books = {
        "backprop.ipynb": source_notebook(
            "backprop", content.BACKPROP_INTRO, content.BACKPROP, content.BACKPROP_WRITTEN
        ),
        "gradient_descent.ipynb": source_notebook(
            "gradient_descent", content.DESCENT_INTRO, content.DESCENT, content.DESCENT_WRITTEN
        ),
    }
    files = {name: nbformat.writes(nb) + "\n" for name, nb in books.items()}
    files["selfcheck.py"] = SELFCHECK.read_text(encoding="utf-8")
    return files


def nbgrader_command() -> list[str] | None:
    """How to run nbgrader from this Python, or None when it is not installed."""
    executable = Path(sys.executable).with_name("nbgrader")
    return [str(executable)] if executable.exists() else None


def generate_release(source_dir: Path) -> dict[str, str]:
    """Run `nbgrader generate_assignment` on a copy of the course; return the released files."""
    command = nbgrader_command()
    if command is None:
        raise RuntimeError("nbgrader is not installed here (pip install -e '.[test]')")
    with tempfile.TemporaryDirectory(prefix="grader-release-") as scratch:
        course = Path(scratch)
        shutil.copy(COURSE / "nbgrader_config.py", course)
        shutil.copytree(source_dir, course / "source" / ASSIGNMENT)
        env = {**_environ(), "PATH": f"{Path(sys.executable).parent}:{_environ().get('PATH', '')}"}
        subprocess.run(
            [*command, "generate_assignment", ASSIGNMENT, "--force"],
            cwd=course,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        release = course / "release" / ASSIGNMENT
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(release.iterdir()) if p.is_file()}


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


def main(argv: list[str]) -> None:
    source_dir = COURSE / "source" / ASSIGNMENT
    source_dir.mkdir(parents=True, exist_ok=True)
    for name, text in render_source().items():
        (source_dir / name).write_text(text, encoding="utf-8")
        print(f"wrote {source_dir / name}")
    for name, text in generate_release(source_dir).items():
        (ROOT / "assignments" / name).write_text(text, encoding="utf-8")
        print(f"wrote assignments/{name} (nbgrader generate_assignment)")


if __name__ == "__main__":
    main(sys.argv[1:])
