"""The code base stays ruff-clean, and no module grows past ~400 lines. (mypy is a step of its own in
scripts/test.sh, before pytest, incremental: see README.md's tests.)"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    shutil.which("ruff") is None and not Path(sys.executable).with_name("ruff").exists(),
    reason="ruff is installed with the [test] extra",
)
def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_is_too_long():
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "grader").rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 420
    }
    assert not long, long
