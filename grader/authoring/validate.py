"""`grader validate`: the grader checked against itself before a course uses it. The reference
must pass its own finite-difference and GD checks and get full marks, the released stubs must
get zero, and every mistake in the library must lose marks on exactly the functions it lists."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from grader.pipeline import Grader
from grader.reference import ReferenceNotFound, default_solutions_dir, load_reference
from grader.registry import NOTEBOOKS, TOTAL_POINTS
from grader.submissions import discover
from grader.verify import ReferenceBug

BASE_NAME = "base.py"


def reference_source(solutions: Path) -> str:
    """The reference as one self-contained file (a sandbox cannot import solutions/)."""
    sources = [(solutions / f"{name}.py").read_text(encoding="utf-8") for name in NOTEBOOKS]
    return "\n\n".join(s.replace("from __future__ import annotations", "") for s in sources)


def mistake_source(mistake: Path, base: Path | None = None) -> str:
    """A correct base solution (the library's, by default) with the mistake's redefinitions appended."""
    base = (base or mistake.parent.parent / BASE_NAME).read_text(encoding="utf-8")
    return base + "\n\n# --- redefined later ---\n" + mistake.read_text(encoding="utf-8")


def affected(mistake: Path) -> set[str]:
    """The functions a mistake file declares it breaks, from its `affects:` line."""
    match = re.search(r"^affects:(.*)$", mistake.read_text(encoding="utf-8"), re.MULTILINE)
    if not match:
        raise ValueError(f"{mistake}: no 'affects:' line naming the functions it breaks")
    return set(match.group(1).split())


def _grade_text(grader: Grader, folder: Path, name: str, text: str):
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    [submission] = discover([str(path)])
    return grader.grade(submission)


def run_validate(solutions: Path | None, assignments: Path, mistakes: Path, cases: int) -> int:
    from grader.pipeline import Options

    solutions = solutions or default_solutions_dir()
    try:
        grader = Grader(load_reference(solutions), Options(cases=cases))
    except (ReferenceNotFound, ReferenceBug) as exc:
        print(f"FAIL reference: {exc}")
        return 1
    print("ok   reference agrees with centred differences and GD runs on every case")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as scratch:
        work = Path(scratch)
        result = _grade_text(grader, work, "reference", reference_source(solutions))
        failures += _report(
            result.score == TOTAL_POINTS, f"reference scores {result.score:g} / {TOTAL_POINTS:g}"
        )
        stubs = work / "submitted" / "stubs" / "released"
        stubs.mkdir(parents=True)
        for notebook in NOTEBOOKS:
            shutil.copy(assignments / f"{notebook}.ipynb", stubs)
        [submission] = discover([str(stubs)])
        result = grader.grade(submission)
        failures += _report(result.score == 0, f"released stubs score {result.score:g}")
        for mistake in sorted(mistakes.glob("*.py")):
            result = _grade_text(grader, work, mistake.stem, mistake_source(mistake))
            lost = {e.id for e in result.autograded if e.score < e.max_score}
            wanted = affected(mistake)
            detail = "" if lost == wanted else f" (expected {sorted(wanted)}, lost {sorted(lost)})"
            failures += _report(
                lost == wanted, f"mistake {mistake.stem} loses marks on {len(lost)} functions{detail}"
            )
    print(f"\n{'all checks passed' if not failures else f'{failures} check(s) failed'}")
    return 1 if failures else 0


def _report(ok: bool, message: str) -> int:
    print(("ok   " if ok else "FAIL ") + message)
    return 0 if ok else 1
