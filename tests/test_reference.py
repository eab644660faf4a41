"""The reference solution checked on its own terms, without the grader: every gradient and
Jacobian against centred finite differences, every step-size bound against GD runs just inside
and just outside it, and a sigmoid that stays quiet and exact at |z| = 1000."""

import warnings

import numpy as np
import pytest

from solutions import backprop as bp
from solutions import gradient_descent as gd

RNG = np.random.default_rng(7)
SIZES = [(1, 1, 1), (3, 1, 2), (1, 4, 1), (2, 3, 4), (5, 2, 3)]


def numeric_jacobian(f, theta, h=1e-6):
    theta = np.asarray(theta, dtype=float)
    columns = []
    for i in range(theta.size):
        step = np.zeros(theta.size)
        step[i] = h
        plus = np.ravel(f(theta + step.reshape(theta.shape)))
        minus = np.ravel(f(theta - step.reshape(theta.shape)))
        columns.append((plus - minus) / (2 * h))
    return np.stack(columns, axis=1)


def energy(x, y, W1, W2):
    return float(np.sum((W2 @ (1 / (1 + np.exp(-(W1 @ x)))) - y) ** 2))


def assert_close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("n", "m", "q"), SIZES)
def test_chained_gradients_match_finite_differences_of_E(n, m, q):
    x, y = RNG.normal(size=n), RNG.normal(size=q)
    W1, W2 = RNG.normal(size=(m, n)), RNG.normal(size=(q, m))
    assert_close(bp.dE_dx(x, y, W1, W2), numeric_jacobian(lambda v: energy(v, y, W1, W2), x).ravel())
    assert_close(bp.dE_dW1(x, y, W1, W2), numeric_jacobian(lambda W: energy(x, y, W, W2), W1).reshape(m, n))
    assert_close(bp.dE_dW2(x, y, W1, W2), numeric_jacobian(lambda W: energy(x, y, W1, W), W2).reshape(q, m))
    h = bp.sigmoid(W1 @ x)
    assert_close(bp.dE_dh(x, y, W1, W2), numeric_jacobian(lambda v: np.sum((W2 @ v - y) ** 2), h).ravel())
    z = W1 @ x
    assert_close(
        bp.dE_dz(x, y, W1, W2), numeric_jacobian(lambda v: np.sum((W2 @ bp.sigmoid(v) - y) ** 2), z).ravel()
    )
    y_hat = W2 @ h
    assert_close(bp.dE_dyhat(y_hat, y), numeric_jacobian(lambda v: bp.loss(v, y), y_hat).ravel())


@pytest.mark.parametrize(("n", "m", "q"), SIZES)
def test_jacobians_match_finite_differences(n, m, q):
    x, z = RNG.normal(size=n), RNG.normal(size=m) * 3
    W1, W2, h = RNG.normal(size=(m, n)), RNG.normal(size=(q, m)), RNG.uniform(size=m)
    assert_close(bp.dh_dz(z), numeric_jacobian(bp.sigmoid, z))
    assert_close(bp.dz_dW1(x, m), numeric_jacobian(lambda W: W @ x, W1))
    assert_close(bp.dyhat_dW2(h, q), numeric_jacobian(lambda W: W @ h, W2))
    assert_close(bp.dz_dx(W1), numeric_jacobian(lambda v: W1 @ v, x))
    assert_close(bp.dyhat_dh(W2), numeric_jacobian(lambda v: W2 @ v, h))


def test_jacobian_shapes_follow_the_spec():
    x, W1, W2 = np.ones(3), np.ones((2, 3)), np.ones((4, 2))
    assert bp.dz_dW1(x, 2).shape == (2, 6)
    assert bp.dyhat_dW2(np.ones(2), 4).shape == (4, 8)
    z, h, y_hat = bp.forward(x, W1, W2)
    assert (z.shape, h.shape, y_hat.shape) == ((2,), (2,), (4,))
    assert isinstance(bp.loss(y_hat, np.zeros(4)), float)


def test_sigmoid_is_stable_and_exact_at_extremes():
    z = np.array([-1000.0, -745.0, -30.0, 0.0, 30.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = bp.sigmoid(z)
        slope = np.diag(bp.dh_dz(z))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    np.testing.assert_allclose(s[2], np.exp(-30) / (1 + np.exp(-30)), rtol=1e-14)
    assert np.all(np.isfinite(slope)) and slope[2] > 0


def run_gd(a, b, eta, steps=5000):
    w, flipped = np.array([1.0, 1.0]), False
    for _ in range(steps):
        new = gd.gd_step(w, a, b, eta)
        flipped |= bool(np.any(new * w < 0))
        w = new
        if not np.all(np.isfinite(w)):
            return False, flipped
    return bool(np.all(np.abs(w) < 1)), flipped


CURVATURES = [(1.0, 1.0), (0.01, 100.0), (300.0, 0.5), (2.0, 3.0)]


@pytest.mark.parametrize(("a", "b"), CURVATURES)
def test_stability_bound_is_where_gd_stops_converging(a, b):
    low, high = gd.eta_range(a, b)
    assert run_gd(a, b, high * 0.999)[0] and not run_gd(a, b, high * 1.001)[0]
    assert run_gd(a, b, low + 1e-3 * high)[0] and not run_gd(a, b, low - 1e-3 * high)[0]


@pytest.mark.parametrize(("a", "b"), CURVATURES)
def test_monotone_bound_is_where_signs_start_to_flip(a, b):
    low, high = gd.monotone_eta_range(a, b)
    assert run_gd(a, b, high * 0.999) == (True, False)
    assert run_gd(a, b, high * 1.001)[1], "just past the monotone bound a coordinate flips sign"
    assert high == pytest.approx(gd.eta_range(a, b)[1] / 2)


@pytest.mark.parametrize(("a", "b"), CURVATURES)
def test_best_eta_minimises_the_rate_and_rho_matches_one_step(a, b):
    eta = gd.best_eta(a, b)
    rate = lambda e: np.max(np.abs(gd.rho(a, b, e)))  # noqa: E731
    assert rate(eta) <= min(rate(eta * 0.99), rate(eta * 1.01))
    assert gd.best_rate(a, b) == pytest.approx(rate(eta), abs=1e-15)
    w = RNG.normal(size=2)
    np.testing.assert_allclose(gd.gd_step(w, a, b, 0.3 / max(a, b)), gd.rho(a, b, 0.3 / max(a, b)) * w)
    np.testing.assert_allclose(
        gd.grad_L(w, a, b),
        numeric_jacobian(lambda v: 0.5 * (a * v[0] ** 2 + b * v[1] ** 2), w).ravel(),
        rtol=1e-6,
    )
