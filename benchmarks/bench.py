"""Benchmark: `grader grade --jobs 1`, `grader grade --jobs 2` and `nbgrader autograde` (with the
course's test cells) on the same generated notebooks, side by side in one run. Prints figures;
asserts nothing (machines are shared and noisy): read the medians and the ratio.

    python benchmarks/bench.py [--students 20] [--repeat 3] [--work DIR] [--no-nbgrader]
    python benchmarks/bench.py --scale 1000 [--fresh-shrinks] [--repeat 1]

Every row gives wall time and CPU time per submission side by side (medians): CPU is the
command's and all its reaped descendants' (the grader's workers and the sandbox children), so
it can be compared on a shared machine where wall time cannot; the machine's load is printed.
Submissions mix correct styles, typical mistakes and one hang, in nbgrader's layout. `--scale N`
measures the batch target instead: N submissions with `grader grade --jobs 2` against the
5-minute budget for 1,000 (nbgrader is not run; at 4.5 s a notebook it would take hours);
`--fresh-shrinks` also times the run that shrinks every failure from scratch, as if no two
students made the same mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.authoring.fill import fill_file  # noqa: E402
from grader.authoring.validate import mistake_source  # noqa: E402

SUBMISSIONS = ROOT / "tests" / "submissions" / "hw1"
HANG = "\n\ndef best_rate(a, b):\n    while True:\n        pass\n"


def student_sources(count: int) -> list[tuple[str, str]]:
    """Correct styles, typical mistakes, and exactly one hang, cycled to `count` students."""
    correct = [p.read_text() for p in sorted((SUBMISSIONS / "correct").glob("*.py"))]
    correct.append((SUBMISSIONS / "base.py").read_text())
    mistakes = [mistake_source(p) for p in sorted((SUBMISSIONS / "mistakes").glob("*.py"))]
    pool = [s for pair in zip(correct * 8, mistakes, strict=False) for s in pair]
    sources = [(f"s{i:04d}", pool[i % len(pool)]) for i in range(count - 1)]
    sources.append((f"s{count - 1:04d}", (SUBMISSIONS / "base.py").read_text() + HANG))
    return sources


def make_batch(folder: Path, count: int) -> Path:
    submitted = folder / "submitted"
    scratch = folder / "sources"
    scratch.mkdir(parents=True, exist_ok=True)
    for student, source in student_sources(count):
        path = scratch / f"{student}.py"
        path.write_text(source)
        for notebook in ("backprop.ipynb", "gradient_descent.ipynb"):
            fill_file(ROOT / "assignments" / "hw1" / notebook, path, submitted / student / "hw1" / notebook)
        shutil.copy(ROOT / "assignments" / "hw1" / "selfcheck.py", submitted / student / "hw1")
    return submitted


MEASURE = """
import ctypes, os, resource, subprocess, sys, time
# A subreaper: a sandbox child whose own parent was killed before it could wait for it (the
# sandbox kills its wrapper and the worker together) is handed to this process instead of to
# init, so it is reaped here and its CPU counts.
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
t = time.perf_counter()
main = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
code, wall = None, None
while True:  # reap the command and every orphan it leaves, until no child is left
    try:
        pid, status, _ = os.wait4(-1, 0)
    except ChildProcessError:
        break
    if pid == main.pid:
        code, wall = os.waitstatus_to_exitcode(status), time.perf_counter() - t
        main.returncode = code
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime)
"""
"""Run in a process of its own, so RUSAGE_CHILDREN holds the command and everything it started
(the grader's workers and every sandbox child). A process counts only once it is reaped; this
one is a subreaper, so orphans count too."""


def measure(command: list[str], cwd: Path, env: dict) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS in MB of the largest process it started, exit code, CPU seconds
    of the command and all its reaped descendants, user + system)."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2]), float(out[3])


def machine_load() -> str:
    """The load averages, for reading the wall times of a shared machine."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def nbgrader_course(folder: Path, submitted: Path) -> Path:
    course = folder / "course"
    course.mkdir()
    for name in ("nbgrader_config.py", "per_exercise_export.py"):
        shutil.copy(ROOT / "course" / name, course)
    shutil.copytree(ROOT / "course" / "source", course / "source")
    shutil.copytree(submitted, course / "submitted")
    return course


TARGET_SECONDS_PER_1000 = 300.0


def grade_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "grader", "grade", str(path), "--format", "json"]


def scale(
    folder: Path, submitted: Path, count: int, grader: list[str], env: dict, fresh: bool, repeat: int
) -> None:
    """The batch target: `count` submissions, `--jobs 2`, against 5 minutes per 1,000; wall
    time and CPU per submission (grader and sandbox together), medians of `repeat` runs."""
    budget = TARGET_SECONDS_PER_1000 * count / 1000
    print(f"{count} submissions ({2 * count} notebooks) in {submitted}, grader grade --jobs 2:")
    print(f"before: {machine_load()}")
    variants = [("", [])] + ([(" --fresh-shrinks", ["--fresh-shrinks"])] if fresh else [])
    outputs = []
    for label, extra in variants:
        runs = []
        for k in range(repeat):
            output = folder / f"scale{len(outputs)}-{k}.json"
            runs.append(measure([*grader, "--jobs", "2", *extra, "--output", str(output)], folder, env))
        outputs.append(json.loads(output.read_text()))
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        verdict = "within" if wall <= budget else "OVER"
        print(
            f"  --jobs 2{label}: wall {wall:.1f} s ({wall / count * 1000:.0f} ms/submission), "
            f"CPU {cpu:.1f} s ({cpu / count * 1000:.0f} ms/submission, grader + sandbox), "
            f"peak {max(r[1] for r in runs):.0f} MB; {verdict} the {budget:.0f} s budget"
            + (f"; runs (wall s) {', '.join(f'{r[0]:.1f}' for r in runs)}" if repeat > 1 else "")
        )
    print(f"after: {machine_load()}")
    print(f"cases per function: {outputs[0]['cases_per_function']}; sandbox on (see `grader doctor`)")
    if len(outputs) > 1:
        print(f"shared and fresh shrinks give identical results: {outputs[0] == outputs[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument(
        "--repeat", type=int, help="runs of each grader command (median; default 3, 1 with --scale)"
    )
    parser.add_argument("--work", type=Path)
    parser.add_argument("--no-nbgrader", action="store_true")
    parser.add_argument("--scale", type=int, metavar="N", help="time N submissions with --jobs 2 instead")
    parser.add_argument(
        "--fresh-shrinks", action="store_true", help="with --scale: also time --fresh-shrinks"
    )
    args = parser.parse_args()
    folder = args.work or Path(tempfile.mkdtemp(prefix="grader-bench-"))
    count = args.scale or args.students
    repeat = args.repeat or (1 if args.scale else 3)
    submitted = make_batch(folder, count)
    notebooks = 2 * count
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "GRADER_SOLUTIONS": str(ROOT / "solutions"),
    }
    grader = grade_command(submitted)
    first = min(submitted.glob("*/hw1/backprop.ipynb"))
    subprocess.run(
        [*grade_command(first), "--output", str(folder / "warm.json")],
        env=env,
        check=True,
        stderr=subprocess.DEVNULL,
    )  # fills the case cache, as any second run would find it (it holds no results)
    if args.scale:
        scale(folder, submitted, count, grader, env, args.fresh_shrinks, repeat)
        return
    rows = {}
    for jobs in (1, 2):
        command = [*grader, "--jobs", str(jobs), "--output", str(folder / f"j{jobs}.json")]
        runs = [measure(command, folder, env) for _ in range(repeat)]
        rows[f"grader grade --jobs {jobs}"] = runs
    if not args.no_nbgrader:
        runs = []
        for _ in range(max(1, repeat // 3)):
            work = Path(tempfile.mkdtemp(prefix="nb-", dir=folder))
            course = nbgrader_course(work, submitted)
            subprocess.run(
                ["nbgrader", "generate_assignment", "hw1", "--force"],
                cwd=course,
                env=env,
                check=True,
                capture_output=True,
            )
            runs.append(measure(["nbgrader", "autograde", "hw1", "--force"], course, env))
        rows["nbgrader autograde"] = runs
    document = json.loads((folder / "j1.json").read_text())
    print(f"{count} submissions, {notebooks} notebooks, in {submitted}")
    print(
        f"cases per function: {document['cases_per_function']} (seed {document['seed']}), "
        f"{len(document['submissions'][0]['exercises']) - 2} functions; sandbox on (see `grader doctor`)"
    )
    print(f"{machine_load()} (after the runs)")
    print(
        f"{'command':<24} {'s/notebook':>11} {'notebooks/s':>12} {'ms/submission':>14} "
        f"{'CPU ms/submission':>18} {'peak MB':>8}  runs (s)"
    )
    per_notebook = {}
    for name, runs in rows.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        per_notebook[name] = wall / notebooks
        print(
            f"{name:<24} {wall / notebooks:>11.3f} {notebooks / wall:>12.2f} {wall / count * 1000:>14.0f} "
            f"{cpu / count * 1000:>18.0f} {max(r[1] for r in runs):>8.0f}  "
            f"{', '.join(f'{r[0]:.1f}' for r in runs)}"
        )
    if "nbgrader autograde" in per_notebook:
        for jobs in (1, 2):
            ratio = per_notebook["nbgrader autograde"] / per_notebook[f"grader grade --jobs {jobs}"]
            print(f"nbgrader / grader --jobs {jobs}: {ratio:.1f}x per notebook (medians, same notebooks)")
    same = json.loads((folder / "j1.json").read_text()) == json.loads((folder / "j2.json").read_text())
    print(f"--jobs 1 and --jobs 2 results identical: {same}")


if __name__ == "__main__":
    main()
