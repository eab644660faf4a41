"""Builds each assignment's nbgrader source notebooks (course/source/<id>/) from its notebook
text (grader/assignments/<id>/content.py) and the reference in solutions/, then the released
student notebooks (assignments/<id>/) by running nbgrader's own `generate_assignment` on them.

One source of truth: every solution region is the body of the reference function in
solutions/, and the released notebooks are exactly what nbgrader makes of the source; tests
fail if the committed files differ from what this writes.

Run from the repository root: python -m grader.authoring.build [ID ...]
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat import v4

from grader import assignments
from grader.model.assignment import Assignment, Notebook, Section

ROOT = Path(__file__).resolve().parent.parent.parent
COURSE = ROOT / "course"
RELEASED = ROOT / "assignments"
HANDIN = ROOT / "grader" / "assignments" / "handin.py"
"""`submit()` from a notebook: shipped with every assignment's notebooks."""
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


def _test_cell(section: Section, points: float):
    text = (
        f"# Autograded, {points:g} points: the course grader tests {section.name} on many random cases\n"
        f'autograde("{section.name}")'
    )
    return _meta(v4.new_code_cell(text), f"test-{section.name}", grade=True, locked=True, points=points)


def source_notebook(assignment: Assignment, notebook: Notebook) -> nbformat.NotebookNode:
    name = notebook.name
    bodies = reference_bodies(name)
    question = next(q for q in assignment.written if q.notebook == name)
    cells = [
        _meta(v4.new_markdown_cell(notebook.intro), f"{name}-intro", locked=True),
        _meta(v4.new_code_cell(SETUP), f"{name}-setup", locked=True),
    ]
    for section in notebook.sections:
        cells += [
            _meta(v4.new_markdown_cell(section.markdown), f"{section.name}-text", locked=True),
            _solution_cell(section, bodies[section.name]),
            _meta(
                v4.new_code_cell(f'check("{section.name}", {section.name})'),
                f"{section.name}-check",
                locked=True,
            ),
            _test_cell(section, assignment.by_name[section.name].points),
        ]
    answer = f"### BEGIN SOLUTION\n{question.prompt}\n### END SOLUTION"
    cells += [
        _meta(v4.new_markdown_cell(notebook.written), f"{question.name}-question", locked=True),
        _meta(v4.new_markdown_cell(answer), question.name, grade=True, solution=True, points=question.points),
    ]
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
    return nb


def render_source(assignment: Assignment) -> dict[str, str]:
    """File name -> exact text of every file in course/source/<id>/."""
    files = {
        f"{notebook.name}.ipynb": nbformat.writes(source_notebook(assignment, notebook)) + "\n"
        for notebook in assignment.notebooks
    }
    files["selfcheck.py"] = assignment.selfcheck.read_text(encoding="utf-8")
    files["handin.py"] = HANDIN.read_text(encoding="utf-8")
    return files


def nbgrader_command() -> list[str] | None:
    """How to run nbgrader from this Python, or None when it is not installed."""
    executable = Path(sys.executable).with_name("nbgrader")
    return [str(executable)] if executable.exists() else None


def generate_release(assignment_id: str, source_dir: Path) -> dict[str, str]:
    """Run `nbgrader generate_assignment` on a copy of the course; return the released files."""
    command = nbgrader_command()
    if command is None:
        raise RuntimeError("nbgrader is not installed here (pip install -e '.[test]')")
    with tempfile.TemporaryDirectory(prefix="grader-release-") as scratch:
        course = Path(scratch)
        shutil.copy(COURSE / "nbgrader_config.py", course)
        shutil.copytree(source_dir, course / "source" / assignment_id)
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
        subprocess.run(
            [*command, "generate_assignment", assignment_id, "--force"],
            cwd=course,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        release = course / "release" / assignment_id
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(release.iterdir()) if p.is_file()}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m grader.authoring.build",
        description="Write each assignment's nbgrader source notebooks (course/source/ID/) and its "
        "released notebooks (assignments/ID/, by nbgrader generate_assignment) from the notebook "
        "text and the reference in solutions/.",
    )
    known = ", ".join(assignments.ids())
    parser.add_argument("ids", nargs="*", metavar="ID", help=f"assignments (default: all: {known})")
    wanted = parser.parse_args(argv).ids or assignments.ids()
    unknown = [a for a in wanted if a not in assignments.ids()]
    if unknown:
        parser.error(f"no assignment {', '.join(map(repr, unknown))}; known: {known}")
    for assignment_id in wanted:
        assignment = assignments.get(assignment_id)
        source_dir = COURSE / "source" / assignment.id
        source_dir.mkdir(parents=True, exist_ok=True)
        for name, text in render_source(assignment).items():
            (source_dir / name).write_text(text, encoding="utf-8")
            print(f"wrote {source_dir / name}")
        released = RELEASED / assignment.id
        released.mkdir(parents=True, exist_ok=True)
        for name, text in generate_release(assignment.id, source_dir).items():
            (released / name).write_text(text, encoding="utf-8")
            print(f"wrote {released / name} (nbgrader generate_assignment)")


if __name__ == "__main__":
    main(sys.argv[1:])
