"""`grader validate`: the grader checked against itself before a course uses it. The reference
must pass its own finite-difference and iteration checks and get full marks, the released stubs
must get zero, and every mistake in the library must lose marks on exactly the functions it
lists."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from grader import assignments
from grader.core.api import GradingCore
from grader.core.batch import grade_all
from grader.core.options import Options
from grader.intake.submissions import Submission, discover
from grader.judge.verify import ReferenceBug
from grader.model.assignment import Assignment
from grader.plan.reference import ReferenceNotFound, default_solutions_dir, reference_files

BASE_NAME = "base.py"


def reference_source(assignment: Assignment, solutions: Path) -> str:
    """The reference as one self-contained file (a sandbox cannot import solutions/)."""
    sources = [path.read_text(encoding="utf-8") for path in reference_files(assignment, solutions)]
    return "\n\n".join(s.replace("from __future__ import annotations", "") for s in sources)


def mistake_source(mistake: Path, base: Path | None = None) -> str:
    """A correct base solution (the library's, by default) with the mistake's redefinitions appended."""
    base_text = (base or mistake.parent.parent / BASE_NAME).read_text(encoding="utf-8")
    return base_text + "\n\n# --- redefined later ---\n" + mistake.read_text(encoding="utf-8")


def affected(mistake: Path) -> set[str]:
    """The functions a mistake file declares it breaks, from its `affects:` line."""
    match = re.search(r"^affects:(.*)$", mistake.read_text(encoding="utf-8"), re.MULTILINE)
    if not match:
        raise ValueError(f"{mistake}: no 'affects:' line naming the functions it breaks")
    return set(match.group(1).split())


def library_checks(core: GradingCore, assignment: Assignment, library: Path, mistakes: bool = True):
    """(ok, message) for every solution of the library in `library` (base.py and correct/*, which
    must get full marks) and, with `mistakes`, every file of mistakes/ (which must lose marks on
    exactly the functions its `affects:` line names). Graded as one batch, processes started
    ahead."""
    correct = [p for p in (library / BASE_NAME, *sorted((library / "correct").glob("*"))) if p.exists()]
    wrong = sorted((library / "mistakes").glob("*.py")) if mistakes else []
    files = [(p, p.read_bytes()) for p in correct] + [(p, mistake_source(p).encode()) for p in wrong]
    batch = [Submission.in_memory({path.name: data}, path.stem, assignment.id) for path, data in files]
    total = assignment.total_points
    for (path, _), result in zip(files, grade_all(core, batch), strict=True):
        lost = {e.id for e in result.autograded if e.score < e.max_score}
        if path in correct:
            detail = f" (lost {sorted(lost)})" if lost else ""
            yield (
                not lost and result.score == total,
                f"correct {path.stem} scores {result.score:g} / {total:g}{detail}",
            )
        else:
            wanted = affected(path)
            detail = "" if lost == wanted else f" (expected {sorted(wanted)}, lost {sorted(lost)})"
            yield lost == wanted, f"mistake {path.stem} loses marks on {len(lost)} functions{detail}"


def run_validate(
    assignment_id: str, solutions: Path | None, released: Path, mistakes: Path | None, cases: int, seed: int
) -> int:
    assignment = assignments.get(assignment_id)
    solutions = solutions or default_solutions_dir()
    core = GradingCore(Options(seed=seed, cases=cases), solutions)
    try:
        grader = core.grader(assignment.id)
    except (ReferenceNotFound, ReferenceBug) as exc:
        print(f"FAIL reference: {exc}")
        return 1
    assert solutions is not None
    print(f"ok   {assignment.id}: the reference agrees with finite differences and iteration runs")
    failures = 0
    total = assignment.total_points
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as scratch:
        work = Path(scratch)
        result = core.grade_files(
            {"reference.py": reference_source(assignment, solutions).encode()}, assignment.id
        )
        failures += _report(result.score == total, f"reference scores {result.score:g} / {total:g}")
        stubs = work / "submitted" / "stubs" / assignment.id
        stubs.mkdir(parents=True)
        for notebook in assignment.notebook_names:
            shutil.copy(released / assignment.id / f"{notebook}.ipynb", stubs)
        [submission] = discover([str(stubs)], assignment.id, assignments.ids())
        result = grader.grade(submission)
        failures += _report(result.score == 0, f"released stubs score {result.score:g}")
        library = mistakes.parent if mistakes is not None else Path("tests/submissions") / assignment.id
        for ok, message in library_checks(core, assignment, library):
            failures += _report(ok, message)
    print(f"\n{'all checks passed' if not failures else f'{failures} check(s) failed'}")
    return 1 if failures else 0


def _report(ok: bool, message: str) -> int:
    print(("ok   " if ok else "FAIL ") + message)
    return 0 if ok else 1
