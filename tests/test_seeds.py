"""Soundness at seeds other than the default, sampled (benchmarks/seed_sweep.py regrades the whole
library at every seed 1..200; tests/test_grading.py grades every mistake of both libraries at the
default seed, in the everyday tier):

- at every seed of a sample (among them the seeds that once refused to grade) and at seeds 1..5
  with the default number of cases and with 20, the reference verifies and every correct
  solution of both libraries gets full marks;
- at seeds 1..5, with 100 cases and with 20, one mistake of every family (the function a mistake
  gets wrong: 22 in hw1, 6 in hw2), the one that shows on the narrowest inputs, loses marks
  exactly on the functions its `affects:` line names.

One GradingCore per seed and number of cases, shared by the tests at that seed on a worker; the
correct files and the sampled mistakes each graded in one batch."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import LIBRARY, ROOT, SOLUTIONS, affected, mistake_source
from grader import assignments
from grader.core.api import GradingCore
from grader.core.batch import grade_all
from grader.core.options import Options
from grader.intake.submissions import Submission

sys.path.insert(0, str(ROOT / "benchmarks"))
from seed_sweep import parse_seeds  # noqa: E402

IDS = assignments.ids()
SAMPLE = (8, 85, 89, 110, 137, 200)
"""8, 85, 89 and 110 refused to grade once: E subnormal, a cancelling residual."""
SWEPT = [(seed, cases) for seed in range(1, 6) for cases in (100, 20)]
"""Where the sampled mistakes are graded too."""
RUNS = [(seed, 100) for seed in SAMPLE] + SWEPT

NARROWEST = {
    "hw1": (
        "best_eta_stability_bound",  # the only one of its family
        "best_rate_epsilon",  # only where a and b are both tiny
        "dE_dW1_squeeze",  # only when m = 1 or n = 1
        "dE_dW2_transposed",  # the same shape when m = q
        "dE_dh_residual_sum",  # the only one of its family
        "dE_dx_no_slope",  # the only one of its family
        "dE_dyhat_mean",  # right when q = 1
        "dE_dz_memoised",  # only once two networks of one size are asked
        "dh_dz_squeeze_raises",  # only when m = 1
        "dyhat_dW2_column_major",  # right when h has one entry or q = 1
        "dyhat_dh_transposed",  # the same shape when m = q
        "dz_dW1_column_major",  # right when x has one entry or m = 1
        "dz_dx_squeeze",  # only when n = 1 or m = 1
        "eta_range_capped",  # only where 2/max(a, b) > 1
        "forward_output_from_z",  # the family's other member, h = z, shows everywhere
        "gd_step_ascent",  # the only one of its family
        "grad_L_swapped",  # right when a = b
        "loss_mean",  # right when q = 1
        "monotone_range_capped",  # only where both curvatures are below 1
        "rho_sign_flipped",  # and best_rate, built on it, stays right
        "sigmoid_overflow",  # only once z > 709
    ),
    "hw2": (
        "best_momentum_kappa_not_rooted",  # right when a = b
        "best_momentum_rate_signed",  # only when a < b
        "momentum_eta_range_one_minus_beta",  # right when beta = 0
        "momentum_matrix_transposed",  # and the rate, built on it, stays right
        "momentum_rate_real_part",  # only with complex roots
        "momentum_step_no_momentum",  # right when beta = 0
    ),
}
"""One mistake of every family, the one that shows on the narrowest inputs. Mistakes that show
everywhere need no other seed; float32_backprop (family dE_dh) and sigmoid_snaps_at_10 (narrower:
sigmoid_overflow) cost the most to grade (every chained gradient shrunk), ~10x a typical one."""


def family(mistake: Path) -> str:
    """The function a mistake gets wrong: the first one its file redefines (what follows it is
    built on it, as float32_backprop's chain after dE_dh)."""
    return re.findall(r"^def (\w+)\(", mistake.read_text(), re.MULTILINE)[0]


def mistakes_of(assignment_id: str) -> list[Path]:
    return sorted((LIBRARY / assignment_id / "mistakes").glob("*.py"))


def correct_of(assignment_id: str) -> list[Path]:
    library = LIBRARY / assignment_id
    return [library / "base.py", *sorted((library / "correct").glob("*"))]


def test_the_sample_holds_a_mistake_of_every_family():
    for assignment_id in IDS:
        library = {p.stem: p for p in mistakes_of(assignment_id)}
        sampled = NARROWEST[assignment_id]
        assert set(sampled) <= set(library), set(sampled) - set(library)
        missing = {family(p) for p in library.values()} - {family(library[name]) for name in sampled}
        assert not missing, f"{assignment_id}: no sampled mistake gets {sorted(missing)} wrong"
    assert set(NARROWEST) == set(IDS)


def test_the_sweep_names_the_same_seeds():
    assert parse_seeds("1-5") == [1, 2, 3, 4, 5] and parse_seeds("8,85-85,200") == [8, 85, 200]


@pytest.fixture(scope="session")
def cores() -> dict[tuple[int, int], GradingCore]:
    """The GradingCore of each (seed, cases), built on first use and shared."""
    return {}


def core_at(cores, seed: int, cases: int) -> GradingCore:
    if (seed, cases) not in cores:
        cores[(seed, cases)] = GradingCore(Options(seed=seed, cases=cases), SOLUTIONS)
    return cores[(seed, cases)]


def grade(core: GradingCore, assignment_id: str, files: dict[str, bytes]) -> dict[str, set[str]]:
    """Each file's lost functions, graded in one batch (sandboxes started one submission ahead),
    as library_checks (`grader validate`, the sweep) grades them."""
    core.grader(assignment_id)
    total = assignments.get(assignment_id).total_points
    batch = [
        Submission.in_memory({name: data}, Path(name).stem, assignment_id) for name, data in files.items()
    ]
    lost = {}
    for submission, result in zip(batch, grade_all(core, batch), strict=True):
        lost[submission.student] = {e.id for e in result.autograded if e.score < e.max_score}
        if not lost[submission.student] and result.score != total:
            lost[submission.student] = {f"score {result.score:g} / {total:g}"}
    return lost


def runs(selected):
    return [
        pytest.param(
            seed,
            cases,
            marks=pytest.mark.slow,
            id=f"seed{seed}-cases{cases}",
        )
        for seed, cases in selected
    ]


@pytest.mark.parametrize(("seed", "cases"), runs(RUNS))
def test_the_reference_verifies(cores, seed, cases):
    """Building a grader verifies the reference (finite differences, iteration runs): a
    ReferenceBug would fail here."""
    core = core_at(cores, seed, cases)
    for assignment_id in IDS:
        assert core.grader(assignment_id).assignment.id == assignment_id


@pytest.mark.parametrize(("seed", "cases"), runs(RUNS))
def test_correct_work_gets_full_marks(cores, seed, cases):
    core = core_at(cores, seed, cases)
    for assignment_id in IDS:
        files = {p.name: p.read_bytes() for p in correct_of(assignment_id)}
        lost = {name: wrong for name, wrong in grade(core, assignment_id, files).items() if wrong}
        assert not lost, f"{assignment_id} at seed {seed}, {cases} cases: correct work lost marks {lost}"


@pytest.mark.parametrize(("seed", "cases"), runs(SWEPT))
def test_a_mistake_of_every_family_is_caught_exactly(cores, seed, cases):
    core = core_at(cores, seed, cases)
    for assignment_id in IDS:
        paths = {
            name: LIBRARY / assignment_id / "mistakes" / f"{name}.py" for name in NARROWEST[assignment_id]
        }
        lost = grade(core, assignment_id, {f"{n}.py": mistake_source(p).encode() for n, p in paths.items()})
        wrong = {
            name: f"expected {sorted(affected(path))}, lost {sorted(lost[name])}"
            for name, path in paths.items()
            if lost[name] != affected(path)
        }
        assert not wrong, f"{assignment_id} at seed {seed}, {cases} cases: {wrong}"
