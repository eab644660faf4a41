"""Gradescope: its autograder `results.json` for one submission, and an autograder bundle
(`setup.sh`, `run_autograder`, the grader and the reference) that grades a submitted notebook
in our sandbox. Field names follow Gradescope's published results.json specification."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from grader.model.results import Status, SubmissionResult

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")


def results_json(results: list[SubmissionResult], visibility: str = "visible") -> str:
    if len(results) != 1:
        raise ValueError(f"Gradescope's results.json describes one submission; got {len(results)}")
    [result] = results
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
                "visibility": visibility,
            }
        )
    notes = "\n".join(result.problems[:10])
    document = {
        "score": result.score,
        "output": f"Autograded score {result.score:g} / {result.max_score:g}. The written questions "
        f"are graded by hand." + (f"\n{notes}" if notes else ""),
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    return json.dumps(document, indent=2) + "\n"


SETUP = """#!/usr/bin/env bash
# Gradescope runs this once to build the autograder image.
set -euo pipefail
apt-get update && apt-get install -y python3 python3-venv python3-pip util-linux libseccomp2
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install /autograder/source/grader-src
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; the student's files are in /autograder/submission.
set -uo pipefail
mkdir -p /autograder/results
/autograder/venv/bin/grader grade /autograder/submission --format gradescope \\
    --solutions /autograder/source/solutions --output /autograder/results/results.json || true
if [ ! -s /autograder/results/results.json ]; then
  echo '{"score": 0, "output": "The autograder could not grade this submission; please contact the staff."}' \\
    > /autograder/results/results.json
fi
"""


def bundle(output: Path, project: Path, solutions: Path) -> Path:
    """Zip what Gradescope needs: setup.sh, run_autograder, the grader's source and the reference."""
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            archive.writestr(info, text)
        for path in sorted((project / "grader").rglob("*.py")):
            archive.write(path, f"grader-src/{path.relative_to(project)}")
        for name in ("pyproject.toml", "README.md"):
            archive.write(project / name, f"grader-src/{name}")
        for path in sorted(solutions.glob("*.py")):
            archive.write(path, f"solutions/{path.name}")
    return output
