"""Soundness at every seed, sampled (benchmarks/seed_sweep.py runs seeds 1..200): the reference
verifies and every correct solution gets full marks, among them the seeds that once refused to
grade; and every known mistake loses marks exactly where it should at seeds 1..5, with the
default number of cases and with 20."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from seed_sweep import seed_problems  # noqa: E402

SAMPLE = (8, 85, 89, 110, 137, 200)
"""8, 85, 89 and 110 refused to grade once: E subnormal, a cancelling residual."""


@pytest.mark.parametrize("seed", SAMPLE)
def test_the_reference_verifies_and_correct_work_gets_full_marks(seed):
    assert seed_problems(seed, 100, mistakes=False) == []


@pytest.mark.parametrize(("seed", "cases"), [(seed, cases) for seed in range(1, 6) for cases in (100, 20)])
def test_every_mistake_is_caught_at_every_seed_with_default_and_few_cases(seed, cases):
    assert seed_problems(seed, cases, mistakes=True) == []
