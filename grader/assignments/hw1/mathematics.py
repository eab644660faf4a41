"""hw1's mathematics, written independently of solutions/ so that a bug in the reference cannot
hide: the network's error E, the quadratic L and gradient-descent runs. Used to check the
reference, to check students' gradients and bounds, and to build the known-wrong variants
that name a student's mistake."""

from __future__ import annotations

import numpy as np

from grader.model.exercise import Case, IterationRuns
from grader.numerics.tolerance import GD_STEPS


def logistic(z) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def logistic_slope(z) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    return logistic(z) * logistic(-z)


def backprop(x, y, W1, W2, factor=2.0, slope=logistic_slope, sign=-1.0) -> dict[str, np.ndarray]:
    """Every chained gradient of E by the grader's own backpropagation, written independently of
    solutions/. Its arguments make the known-wrong variants: dE/dy_hat = factor * (y_hat + sign
    * y), and `slope` for sigma'."""
    x, y, W1, W2 = (np.asarray(v, dtype=np.float64) for v in (x, y, W1, W2))
    z = W1 @ x
    h = logistic(z)
    g_yhat = factor * (W2 @ h + sign * y)
    g_h = W2.T @ g_yhat
    g_z = slope(z) * g_h
    return {
        "dE_dh": g_h,
        "dE_dz": g_z,
        "dE_dx": W1.T @ g_z,
        "dE_dW2": np.outer(g_yhat, h),
        "dE_dW1": np.outer(g_z, x),
    }


def network_error(x, y, W1, W2) -> float:
    """E = ||W2 sigma(W1 x) - y||^2."""
    r = np.asarray(W2) @ logistic(np.asarray(W1) @ np.asarray(x)) - np.asarray(y)
    return float(r @ r)


def slope_terms(z) -> np.ndarray:
    """The term size of sigma(z)(1 - sigma(z)), the formula the notebook gives: sigma + sigma^2.
    Near sigma = 1 the difference 1 - sigma cancels, and its rounding is relative to this."""
    s = logistic(z)
    return s + s * s


def network_term_scales(x, y, W1, W2) -> dict[str, np.ndarray]:
    """The term size of every entry of each network quantity: the same formulas with every factor
    replaced by its absolute value and every difference by a sum. An entry far smaller than
    this has cancelled, and rounding differences between correct formulas are relative to
    this, not to the entry (grader/numerics/tolerance.py)."""
    z = np.asarray(W1, dtype=np.float64) @ np.asarray(x, dtype=np.float64)
    h, slope = logistic(z), slope_terms(z)
    x, y, W1, W2 = (np.abs(np.asarray(v, dtype=np.float64)) for v in (x, y, W1, W2))
    residual = 2.0 * (W2 @ h + y)
    g_h = W2.T @ residual
    g_z = slope * g_h
    return {
        "z": W1 @ x,
        "y_hat": W2 @ h,
        "dE_dh": g_h,
        "dE_dz": g_z,
        "dE_dx": W1.T @ g_z,
        "dE_dW2": np.outer(residual, h),
        "dE_dW1": np.outer(g_z, x),
    }


def quadratic_loss(w, a: float, b: float) -> float:
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * (a * w[0] ** 2 + b * w[1] ** 2)


def run_gd(a, b, eta, steps: int = GD_STEPS) -> IterationRuns:
    """Run `steps` GD steps w <- w - eta * grad L(w) from w0 = (1, 1), vectorised over a batch of
    problems: whether every coordinate shrank in magnitude (convergence) and whether any
    coordinate ever changed sign."""
    curvature = np.stack([np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)], -1)
    eta = np.asarray(eta, dtype=np.float64)[..., np.newaxis]
    w = np.ones_like(curvature)
    changes_sign = np.zeros(curvature.shape, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for _ in range(steps):
            previous, w = w, w - eta * (curvature * w)
            # A product of two subnormals underflows to +-0, so rounding noise after w has
            # decayed to nothing is never mistaken for a sign change.
            changes_sign |= previous * w < 0
    converges = np.all(np.isfinite(w) & (np.abs(w) < 1.0), axis=-1)
    return IterationRuns(converges=converges, changes_sign=np.any(changes_sign, axis=-1))


def gd_runs(cases: list[Case], eta: np.ndarray) -> IterationRuns:
    """run_gd on each case's curvatures (a, b) with its own step size."""
    a = np.array([c["a"] for c in cases], dtype=np.float64)
    b = np.array([c["b"] for c in cases], dtype=np.float64)
    return run_gd(a, b, np.broadcast_to(eta, a.shape))
