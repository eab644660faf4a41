"""Benchmark: CPU per submission on the sandbox side, a fresh `python -I -S` per submission
against children forked from a zygote (grader/run/sandbox/zygote.py), side by side in one run.
Prints figures; asserts nothing (the machine is shared: compare the two columns of one run).

    python benchmarks/sandbox_cost.py [--rounds 12] [--mistakes]

Each round grades hw1's bundled correct submissions (and, with --mistakes, the catalogued
mistakes) once per mode, in this process, as `grader grade --jobs 1` does (spares included).
Sandbox CPU is the children's rusage, which counts a process only once it is reaped: every
sandbox is asked to exit before it is closed (see close_gently), and the zygote is closed (and
reaped, with every child it reaped) at the end of each round, and its own
start-up, measured apart, is subtracted and shown on its own line (a zygote serves
CHILDREN_PER_ZYGOTE submissions). Grader CPU is this process's own.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import assignments  # noqa: E402
from grader.authoring.validate import mistake_source  # noqa: E402
from grader.core.api import GradingCore  # noqa: E402
from grader.core.batch import grade_all  # noqa: E402
from grader.intake.submissions import discover  # noqa: E402
from grader.run.sandbox import process, zygote  # noqa: E402

HW1 = ROOT / "tests" / "submissions" / "hw1"
MODES = {"fresh": "0", "zygote": "1"}


def close_gently(close):
    """A sandbox is SIGKILLed when its session ends; a fresh one's Python is then never reaped by
    the `unshare` above it, and its CPU time would be lost to this count. Here each sandbox is
    first asked to exit (as a zygote's child is reaped, it gets the same), then closed as usual."""

    def gently(self) -> None:
        try:
            self.send({"op": "bye"}, time.monotonic() + 2)
            self.popen.wait(2)
        except Exception:  # noqa: BLE001 - a dead or hung sandbox is then closed as usual
            pass
        close(self)

    return gently


process.WorkerProcess.close = close_gently(process.WorkerProcess.close)  # type: ignore[method-assign]


def cpu() -> tuple[float, float]:
    """(children's CPU seconds, this process's CPU seconds) so far."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return children.ru_utime + children.ru_stime, own.ru_utime + own.ru_stime


def zygote_start_cost(times: int = 5) -> float:
    """Median CPU of starting a zygote and closing it with no child (its children's rusage)."""
    os.environ["GRADER_ZYGOTE"] = "1"
    costs = []
    for _ in range(times):
        before = cpu()[0]
        assert zygote.current() is not None, zygote.state()[1]
        zygote.close_all()
        costs.append(cpu()[0] - before)
    return statistics.median(costs)


def one_round(core: GradingCore, submissions: list, mode: str, start_cost: float) -> tuple[float, float]:
    """(sandbox CPU, grader CPU) per submission, in seconds."""
    os.environ["GRADER_ZYGOTE"] = MODES[mode]
    before = cpu()
    results = list(grade_all(core, submissions, jobs=1))
    zygote.close_all()
    after = cpu()
    assert len(results) == len(submissions)
    sandbox = after[0] - before[0] - (start_cost if mode == "zygote" else 0.0)
    return sandbox / len(submissions), (after[1] - before[1]) / len(submissions)


def submissions_to_grade(folder: Path, mistakes: bool) -> list:
    paths = [HW1 / "base.py", *sorted((HW1 / "correct").glob("*.py"))]
    if mistakes:
        for path in sorted((HW1 / "mistakes").glob("*.py")):
            target = folder / path.name
            target.write_text(mistake_source(path))
            paths.append(target)
    return discover([str(p) for p in paths], "hw1", assignments.ids())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--mistakes", action="store_true", help="grade the catalogued mistakes too")
    args = parser.parse_args()
    core = GradingCore(solutions=ROOT / "solutions")
    core.grader("hw1")
    with tempfile.TemporaryDirectory() as folder:
        submissions = submissions_to_grade(Path(folder), args.mistakes)
        start_cost = zygote_start_cost()
        figures: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
        for _ in range(args.rounds):
            for mode in MODES:
                figures[mode].append(one_round(core, submissions, mode, start_cost))
    print(f"hw1, {len(submissions)} submissions x {args.rounds} rounds; CPU ms per submission (medians)")
    print(f"{'':24}{'fresh':>10}{'zygote':>10}")
    for index, what in ((0, "sandbox (children)"), (1, "grader (this process)")):
        row = [statistics.median(f[index] for f in figures[mode]) * 1000 for mode in MODES]
        print(f"{what:24}{row[0]:>10.1f}{row[1]:>10.1f}")
    total = [statistics.median(f[0] + f[1] for f in figures[mode]) * 1000 for mode in MODES]
    print(f"{'total':24}{total[0]:>10.1f}{total[1]:>10.1f}")
    print(
        f"zygote start-up: {start_cost * 1000:.1f} ms of CPU once per "
        f"{zygote.CHILDREN_PER_ZYGOTE} submissions (not in the figures above)"
    )


if __name__ == "__main__":
    main()
