"""The comparison rule of grader/tolerance.py: rounding never costs marks, 1e-3 always does."""

import numpy as np
import pytest

from grader.numerics.tolerance import RTOL, matches, relative_error

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("scale", [1e-8, 1e-2, 1.0, 1e3, 1e8])
def test_rounding_level_differences_pass(scale):
    expected = RNG.normal(size=(4, 3)) * scale
    noisy = expected * (1 + RNG.uniform(-8, 8, size=expected.shape) * np.finfo(float).eps)
    assert matches(noisy, expected)


@pytest.mark.parametrize("scale", [1e-8, 1.0, 1e8])
def test_a_relative_error_of_1e_3_fails_on_any_entry(scale):
    expected = RNG.uniform(0.5, 2.0, size=6) * scale
    for i in range(6):
        wrong = expected.copy()
        wrong[i] *= 1 + 1e-3
        assert not matches(wrong, expected)


def test_cancelled_entries_are_judged_against_the_unit():
    # sigma(-30) by two correct formulas differs in relative terms but not on sigma's own scale
    tanh_based = 0.5 * (1 + np.tanh(-15.0))
    exact = np.exp(-30.0) / (1 + np.exp(-30.0))
    assert relative_error([tanh_based], [exact]) > RTOL
    assert matches([tanh_based], [exact], unit=1.0)


def test_nan_and_inf_never_match_finite_values():
    assert not matches([np.nan], [1.0])
    assert not matches([np.inf], [1.0])
    assert matches([0.0, 0.0], [0.0, 0.0])


def test_shapes_must_agree():
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.zeros(3), np.zeros((3, 1)))
