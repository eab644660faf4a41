"""The grader's own numerical tools, written independently of solutions/ so that a bug in the
reference cannot hide: centred finite differences with an estimate of their own error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from grader.numerics.tolerance import FD_NOISE, FD_STEP


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


def describe_run(converges: bool, changes_sign: bool) -> str:
    if not converges:
        return "does not converge"
    return "converges, with a sign change" if changes_sign else "converges monotonically"
