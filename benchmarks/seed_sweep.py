"""The seed sweep: at every seed, the reference verifies, every correct solution in the library
gets full marks and (with --mistakes) every known mistake loses marks exactly where its
`affects:` line says, for each number of cases given. Prints one line per run and a summary;
exits 1 on any failure. CI runs a sample (tests/test_seeds.py); this runs them all.

    python benchmarks/seed_sweep.py [--seeds 1-200] [--cases 100,20] [--mistakes] [--jobs 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import assignments  # noqa: E402
from grader.authoring.validate import library_checks  # noqa: E402
from grader.core.api import GradingCore  # noqa: E402
from grader.core.options import Options  # noqa: E402
from grader.judge.verify import ReferenceBug  # noqa: E402


def seed_problems(seed: int, cases: int, mistakes: bool) -> list[str]:
    """Every problem at this seed and number of cases (empty when all is well)."""
    core = GradingCore(Options(seed=seed, cases=cases), ROOT / "solutions")
    problems = []
    for assignment_id in assignments.ids():
        try:
            core.grader(assignment_id)
        except ReferenceBug as exc:
            problems.append(f"{assignment_id}: {exc}")
            continue
        library = ROOT / "tests" / "submissions" / assignment_id
        for ok, message in library_checks(core, assignments.get(assignment_id), library, mistakes):
            if not ok:
                problems.append(f"{assignment_id}: {message}")
    return problems


def _job(arguments: tuple[int, int, bool]) -> tuple[int, int, list[str], float]:
    seed, cases, mistakes = arguments
    started = time.monotonic()
    return seed, cases, seed_problems(seed, cases, mistakes), time.monotonic() - started


def parse_seeds(text: str) -> list[int]:
    seeds: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        seeds += list(range(int(low), int(high or low) + 1))
    return seeds


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", default="1-200")
    parser.add_argument("--cases", default="100")
    parser.add_argument("--mistakes", action="store_true", help="also grade the mistake library")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    runs = [(s, int(c), args.mistakes) for s in parse_seeds(args.seeds) for c in args.cases.split(",")]
    failed = 0
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for seed, cases, problems, seconds in pool.map(_job, runs):
            failed += bool(problems)
            print(f"seed {seed:4d} cases {cases:4d}: {'ok' if not problems else 'FAIL'} ({seconds:.0f} s)")
            for problem in problems:
                print(f"    {problem[:400]}")
            sys.stdout.flush()
    print(f"\n{len(runs) - failed} of {len(runs)} runs clean in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
