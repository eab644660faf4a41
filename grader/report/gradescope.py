"""Gradescope: its autograder `results.json` for one submission, and the autograder bundle
(`setup.sh`, `install.sh`, `run_autograder`, the grader, one assignment's reference and
released notebooks) that grades a hand-in in our sandbox. Field names follow Gradescope's
published results.json specification: top-level `score`, `output`, `output_format`,
`execution_time`, `visibility`, `stdout_visibility`, and `tests[]` with `name`, `number`,
`score`, `max_score`, `status`, `output`, `output_format` and `visibility`."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.model.assignment import Assignment
from grader.model.results import Status, SubmissionResult

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
POLICIES = ("latest", "best")


@dataclass(frozen=True)
class Context:
    """What Gradescope tells about the hand-in (submission_metadata.json), and the bundle's choices."""

    visibility: str = "visible"
    policy: str = "latest"
    """`latest`: this hand-in's score counts; `best`: the best of it and the earlier ones."""
    previous_scores: tuple[float, ...] = ()
    students: tuple[str, ...] = ()
    """Names (and ids) of the students the hand-in belongs to, as Gradescope gives them."""
    notes: tuple[str, ...] = field(default=())
    """What the intake refused in the hand-in, named."""
    execution_time: float | None = None


def results_document(result: SubmissionResult, context: Context | None = None) -> dict:
    """Every autograded exercise as a test, with the same feedback as the HTML pages."""
    context = context or Context()
    tests = []
    for number, e in enumerate(result.autograded, start=1):
        tests.append(
            {
                "name": e.id,
                "number": str(number),
                "score": e.score,
                "max_score": e.max_score,
                "status": "passed" if e.status == Status.PASSED else "failed",
                "output": f"[{e.status}] {e.feedback}",
                "output_format": "text",
                "visibility": context.visibility,
            }
        )
    score, lines = result.score, [f"Autograded score {result.score:g} / {result.max_score:g}."]
    best = max(context.previous_scores, default=None)
    if context.policy == "best" and best is not None and best > score:
        score = best
        lines.append(
            f"Your best earlier hand-in scored {best:g}; the course counts your best, so that stands."
        )
    lines.append("The written questions are graded by hand.")
    if context.students:
        lines.insert(0, f"Graded for {', '.join(context.students)}.")
    lines += [*context.notes[:10], *result.problems[:10]]
    document = {
        "score": score,
        "output": "\n".join(lines),
        "output_format": "text",
        "visibility": context.visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    if context.execution_time is not None:
        document["execution_time"] = round(context.execution_time, 3)
    return document


def results_json(results: list[SubmissionResult], visibility: str = "visible") -> str:
    """`grader grade --format gradescope`: one submission's results.json."""
    if len(results) != 1:
        raise ValueError(f"Gradescope's results.json describes one submission; got {len(results)}")
    return json.dumps(results_document(results[0], Context(visibility=visibility)), indent=2) + "\n"


SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, to build the autograder image (Ubuntu 22.04 or 24.04).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y python3 python3-venv python3-pip util-linux libseccomp2
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt-get install -y python3.11 python3.11-venv
fi
bash /autograder/source/install.sh
"""

INSTALL = """#!/usr/bin/env bash
# The install step of setup.sh (everything but apt): the grader in its own virtual environment,
# the cases generated once into the bundle's cache, and the reference made unreadable to a process
# without root's capabilities (a sandbox worker drops them all), should Landlock be missing where
# Gradescope runs. AUTOGRADER_ROOT stands for /autograder.
set -euo pipefail
root=${{AUTOGRADER_ROOT:-/autograder}}
python=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "the grader needs Python 3.11 or newer" >&2
  exit 1
fi
"$python" -m venv "$root/venv"
"$root/venv/bin/pip" install --quiet "$root/source/grader-src"
GRADER_CACHE="$root/source/cache" "$root/venv/bin/grader" gradescope-run --root "$root" \\
    --assignment {assignment} --solutions "$root/source/solutions" --warm
if [ "$(id -u)" -eq 0 ]; then
  chown -R nobody "$root/source/solutions"
  chmod -R u=rwX,go= "$root/source/solutions"
fi
"$root/venv/bin/grader" doctor || true
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every hand-in: everything in /autograder/submission is one submission
# of {assignment}; the results go to /autograder/results/results.json.
set -uo pipefail
root=${{AUTOGRADER_ROOT:-/autograder}}
mkdir -p "$root/results"
GRADER_CACHE="$root/source/cache" GRADER_RELEASED="$root/source/released" \\
  "$root/venv/bin/grader" gradescope-run --root "$root" --assignment {assignment} \\
    --solutions "$root/source/solutions" --policy {policy} --visibility {visibility}
if [ ! -s "$root/results/results.json" ]; then
  echo '{{"score": 0, "output": "The autograder could not grade this submission; please contact the staff."}}' \\
    > "$root/results/results.json"
fi
"""


def bundle(
    output: Path,
    project: Path,
    solutions: Path,
    assignment: Assignment,
    policy: str = "latest",
    visibility: str = "visible",
) -> Path:
    """Zip what Gradescope needs for one assignment: the scripts, the grader's source, the
    assignment's reference modules (never sent to a sandbox) and its released notebooks (whose
    locked cells are restored before a notebook runs)."""
    fields = {"assignment": assignment.id, "policy": policy, "visibility": visibility}
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("install.sh", INSTALL), ("run_autograder", RUN)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            archive.writestr(info, text.format(**fields))
        for path in sorted((project / "grader").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, f"grader-src/{path.relative_to(project)}")
        for name in ("pyproject.toml", "README.md"):
            archive.write(project / name, f"grader-src/{name}")
        for notebook in assignment.notebook_names:
            archive.write(solutions / f"{notebook}.py", f"solutions/{notebook}.py")
        for path in sorted((project / "assignments" / assignment.id).glob("*.ipynb")):
            archive.write(path, f"released/{assignment.id}/{path.name}")
    return output
