"""The comparison rule of grader/tolerance.py: rounding never costs marks, 1e-3 always does."""

import warnings

import numpy as np
import pytest

from grader.numerics.calculus import central_differences
from grader.numerics.tolerance import (
    FD_FLOOR,
    FD_NOISE,
    FD_RTOL,
    FD_STEP,
    FLOOR,
    REPEATED_ROOT_ALLOWANCE,
    RTOL,
    fd_relative_error,
    matches,
    relative_error,
    relative_errors,
)

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


def test_an_entry_far_below_the_answer_is_judged_on_the_answer_scale():
    """FLOOR: 1e-9 next to 1 is judged against FLOOR * 1, not against its own size."""
    expected = np.array([1.0, 1e-9])
    off = expected + [0.0, 5e-13]  # 5e-4 of the entry itself, 5e-8 of FLOOR * S
    assert relative_error(off, expected) == pytest.approx(5e-13 / FLOOR, rel=1e-3)
    assert matches(off, expected)
    assert not matches(expected + [0.0, 5e-11], expected), "above FLOOR * S * RTOL it still fails"
    assert relative_error([off[1]], [expected[1]]) > RTOL, "alone, the entry is its own scale"


def test_the_floor_scales_with_the_largest_term_size():
    expected = np.array([1e3, 1e-6])
    assert relative_error(expected + [0.0, 5e-10], expected) == pytest.approx(5e-10 / (FLOOR * 1e3), rel=1e-3)


def test_a_non_finite_gradient_never_agrees_with_finite_differences():
    numeric, noise = np.array([1.0, 2.0]), np.zeros(2)
    assert fd_relative_error(np.array([1.0, 2.0]), numeric, noise) == 0.0
    for bad in (np.nan, np.inf, -np.inf):
        assert fd_relative_error(np.array([1.0, bad]), numeric, noise) == np.inf, bad


def test_non_finite_differences_never_confirm_a_gradient():
    """Differences that overflowed or became NaN cannot judge anything: they never agree."""
    answer = np.array([1.0, 2.0])
    for bad in (np.nan, np.inf):
        numeric = np.array([1.0, bad])
        assert fd_relative_error(answer, numeric, np.abs(numeric - answer)) > FD_RTOL, bad
        assert fd_relative_error(answer, numeric, np.zeros(2)) > FD_RTOL, bad


def test_finite_difference_noise_is_forgiven_first_and_the_rest_is_relative():
    answer, numeric = np.array([1.0, 1.0]), np.array([1.0, 1.0 + 3e-4])
    assert fd_relative_error(answer, numeric, np.array([0.0, 3e-4])) == 0.0
    assert fd_relative_error(answer, numeric, np.array([0.0, 1e-4])) == pytest.approx(2e-4 / 2.0003)
    assert fd_relative_error(np.zeros(0), np.zeros(0), np.zeros(0)) == 0.0


def test_an_exercise_with_its_own_allowance_forgives_that_much_and_no_more():
    """momentum_rate can be a double root: 1.5e-7 off passes there, not where ALLOWANCE rules."""
    from grader import assignments
    from grader.judge.checks import compare

    rate, other = assignments.get("hw2").by_name["momentum_rate"], assignments.get("hw1").by_name["best_rate"]
    assert rate.allowance == REPEATED_ROOT_ALLOWANCE and other.allowance is None
    expected = np.array(0.5)
    near, far = np.array(0.5 + 1.5e-7), np.array(0.5 * (1 + 1e-6))
    assert compare(rate, expected, near, 1.0).passed
    assert not compare(rate, expected, far, 1.0).passed, "1e-6 on a rate still fails"
    assert not compare(other, expected, near, 1.0).passed
    assert compare(other, expected, np.array(0.5 + 5e-8), 1.0).passed


def test_identical_non_finite_answers_match_and_others_never_do_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert matches([np.nan, 1.0], [np.nan, 1.0]) and matches([np.inf, -np.inf], [np.inf, -np.inf])
        assert not matches([np.inf], [-np.inf]) and not matches([np.nan], [np.inf])
        assert not matches([np.nan, 1.0], [np.nan, 2.0]), "a NaN that matches does not excuse the rest"


def test_a_batch_gives_the_same_errors_as_one_pair_at_a_time():
    pairs = [(RNG.normal(size=n), RNG.normal(size=n)) for n in (3, 0, 1, 4, 2)]
    units = [0.0, 0.0, 1.0, RNG.uniform(size=4), 0.5]
    batch = relative_errors(pairs, units)
    assert list(batch) == [relative_error(a, e, u) for (a, e), u in zip(pairs, units, strict=True)]


def test_term_sizes_of_another_shape_count_as_their_largest():
    expected = np.array([0.01, 0.01])
    actual = expected + [7e-9, 0.0]  # 7e-9 - ALLOWANCE * 0.5 = 2e-9 left, on 0.02
    assert relative_error(actual, expected, unit=np.array([0.1, 0.5, 0.2])) == pytest.approx(1e-7, rel=1e-3)


def test_matches_takes_the_allowance_it_is_given():
    assert matches(0.5 + 1.5e-7, 0.5, 1.0, allowance=REPEATED_ROOT_ALLOWANCE)
    assert not matches(0.5 + 1.5e-7, 0.5, 1.0)
    assert relative_error(0.5 + 1.5e-7, 0.5, 1.0, allowance=REPEATED_ROOT_ALLOWANCE) == 0.0


def test_finite_differences_judge_small_entries_on_the_gradient_scale():
    assert fd_relative_error([1.0, 0.0], [1.0, 1e-5], [0.0, 0.0]) == pytest.approx(1e-5 / (FD_FLOOR * 2.0))
    assert fd_relative_error([0.1], [0.1 * (1 + 1e-3)], [0.0]) == pytest.approx(1e-4 / 0.2001)


def test_central_differences_step_and_noise():
    """Steps FD_STEP * max(1, |theta|) each way: sin(k x) errs by (k h)^2 / 6 relative, and the
    noise is the difference between steps h and 2h plus f's rounding."""
    k, x = 1e3, 1.5
    numeric = central_differences(lambda v: np.sin(k * v), np.array([x]))
    h, exact = FD_STEP * x, k * np.cos(k * x)
    assert numeric.jacobian[0, 0] == pytest.approx(exact * (1 - (k * h) ** 2 / 6), rel=1e-9)
    assert numeric.noise[0, 0] == pytest.approx(abs(exact) * 3 * (k * h) ** 2 / 6, rel=1e-3)
    linear = central_differences(lambda v: 3.0 * v, np.array([x]))
    assert linear.jacobian[0, 0] == pytest.approx(3.0, rel=1e-9)
    rounding = FD_NOISE * np.finfo(np.float64).eps * 3.0 * (x + h) / h
    assert rounding <= linear.noise[0, 0] <= rounding * 1.05
