"""The grader's own mathematics, written independently of solutions/ so that a bug in the
reference cannot hide: the network's error E, the quadratic L, centred finite differences
and gradient-descent runs. Used to check the reference, to check students' gradients and
bounds, and to build the known-wrong variants that name a student's mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from grader.tolerance import FD_NOISE, FD_STEP, GD_STEPS


def logistic(z) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def logistic_slope(z) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    return logistic(z) * logistic(-z)


def network_error(x, y, W1, W2) -> float:
    """E = ||W2 sigma(W1 x) - y||^2."""
    r = np.asarray(W2) @ logistic(np.asarray(W1) @ np.asarray(x)) - np.asarray(y)
    return float(r @ r)


def network_term_scales(x, y, W1, W2) -> dict[str, float]:
    """The size of the terms each network quantity is summed from: the same formulas with every
    factor replaced by its absolute value. A result far smaller than this has cancelled, and
    rounding differences between correct formulas are relative to this, not to the result."""
    z = np.asarray(W1, dtype=np.float64) @ np.asarray(x, dtype=np.float64)
    h, slope = logistic(z), logistic_slope(z)
    x, y, W1, W2 = (np.abs(np.asarray(v, dtype=np.float64)) for v in (x, y, W1, W2))
    residual = 2.0 * (W2 @ h + y)
    g_h = W2.T @ residual
    g_z = slope * g_h
    scales = {
        "z": W1 @ x,
        "y_hat": W2 @ h,
        "dE_dh": g_h,
        "dE_dz": g_z,
        "dE_dx": W1.T @ g_z,
        "dE_dW2": np.outer(residual, h),
        "dE_dW1": np.outer(g_z, x),
    }
    return {name: float(np.max(value, initial=0.0)) for name, value in scales.items()}


def quadratic_loss(w, a: float, b: float) -> float:
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * (a * w[0] ** 2 + b * w[1] ** 2)


@dataclass(frozen=True)
class FiniteDifferences:
    """A Jacobian by centred differences, with an estimate of each entry's own error: the
    difference between steps h and 2h (truncation and rounding of theta +- h), plus the
    rounding of f itself, FD_NOISE * eps * |f| / h."""

    jacobian: np.ndarray
    noise: np.ndarray


def _centred(f: Callable[[np.ndarray], object], theta: np.ndarray, scale: float):
    flat = theta.ravel()
    columns, rounding = [], []
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += scale * FD_STEP * max(1.0, abs(flat[i]))
        minus[i] -= scale * FD_STEP * max(1.0, abs(flat[i]))
        step = (plus[i] - minus[i]) / 2.0
        f_plus = np.ravel(np.asarray(f(plus.reshape(theta.shape)), dtype=np.float64))
        f_minus = np.ravel(np.asarray(f(minus.reshape(theta.shape)), dtype=np.float64))
        columns.append((f_plus - f_minus) / (2.0 * step))
        magnitude = np.maximum(np.abs(f_plus), np.abs(f_minus))
        rounding.append(FD_NOISE * np.finfo(np.float64).eps * magnitude / step)
    return np.stack(columns, axis=1), np.stack(rounding, axis=1)


def central_differences(f: Callable[[np.ndarray], object], theta: np.ndarray) -> FiniteDifferences:
    """Jacobian of f at theta by centred differences, shape (size of f, size of theta).

    The step is FD_STEP * max(1, |theta_i|), CS231n's choice made relative for large entries.
    """
    theta = np.asarray(theta, dtype=np.float64)
    jacobian, rounding = _centred(f, theta, 1.0)
    coarse, _ = _centred(f, theta, 2.0)
    return FiniteDifferences(jacobian, rounding + np.abs(jacobian - coarse))


@dataclass(frozen=True)
class GDRuns:
    """What GD on L did from w0 = (1, 1), for a batch of (a, b, eta): whether every coordinate
    shrank in magnitude (convergence) and whether any coordinate ever changed sign."""

    converges: np.ndarray
    changes_sign: np.ndarray


def run_gd(a, b, eta, steps: int = GD_STEPS) -> GDRuns:
    """Run `steps` GD steps w <- w - eta * grad L(w), vectorised over a batch of problems."""
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
    return GDRuns(converges=converges, changes_sign=np.any(changes_sign, axis=-1))


def describe_run(converges: bool, changes_sign: bool) -> str:
    if not converges:
        return "does not converge"
    return "converges, with a sign change" if changes_sign else "converges monotonically"
