"""Finding submissions under the paths an instructor names, grouped as SPEC section 5 says:
nbgrader's .../submitted/<student>/<assignment>/*.ipynb is one submission per student and
assignment; every other .ipynb or .py file is a submission of its own, except .py files inside
such an assignment folder (helpers such as selfcheck.py), which travel with its notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".ipynb", ".py")


class NoSuchPath(Exception):
    pass


@dataclass(frozen=True)
class Submission:
    label: str
    """The path as given on the command line or found in a folder."""
    student: str
    files: tuple[Path, ...]
    folder: Path | None
    """What is copied into the sandbox: the nbgrader assignment folder, else nothing."""


def _is_candidate(path: Path, root: Path) -> bool:
    relative = path.relative_to(root) if path != root else Path(path.name)
    hidden = any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
    return path.suffix in SUFFIXES and path.is_file() and not hidden


def _nbgrader_key(path: Path) -> tuple[str, str] | None:
    """(student, assignment) if the file sits in submitted/<student>/<assignment>/."""
    parts = path.resolve().parts
    if len(parts) >= 4 and parts[-4] == "submitted":
        return parts[-3], parts[-2]
    return None


def discover(paths: list[str]) -> list[Submission]:
    """All submissions under `paths`, in a stable order (sorted by label)."""
    nbgrader: dict[tuple[str, str], tuple[str, list[Path]]] = {}
    single: dict[str, Submission] = {}
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise NoSuchPath(f"{given}: no such file or folder")
        found = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in found:
            if root.is_file() and path.suffix not in SUFFIXES:
                raise NoSuchPath(f"{given}: not a notebook (.ipynb) or Python file (.py)")
            if not _is_candidate(path, root):
                continue
            shown = str(root) if root.is_file() else str(root / path.relative_to(root))
            key = _nbgrader_key(path)
            if key is not None and path.suffix == ".py":
                continue  # a helper beside the notebooks (selfcheck.py): copied, not graded alone
            if key is None:
                single.setdefault(shown, Submission(shown, path.stem, (path,), None))
                continue
            folder_label = str(Path(shown).parent)
            label, files = nbgrader.setdefault(key, (folder_label, []))
            if path.resolve() not in [f.resolve() for f in files]:
                files.append(path)
    submissions = list(single.values())
    for (student, _assignment), (label, files) in nbgrader.items():
        files = sorted(files, key=lambda p: p.name)
        submissions.append(Submission(label, student, tuple(files), files[0].parent))
    return sorted(submissions, key=lambda s: (s.label, s.student))
