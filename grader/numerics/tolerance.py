"""Every numerical tolerance the grader uses, in one place.

The comparison is CS231n's relative error, made safe for entries that are zero or that
cancel: for each entry,

    err_i = |a_i - e_i| / max(|a_i| + |e_i|, FLOOR * S),   S = max(max_j (|a_j| + |e_j|), unit)

and an answer matches when max_i err_i <= RTOL. `unit` is the natural size of the quantity
(1 for sigma, 0.25 for sigma'), so that an entry that is tiny by nature, such as sigma(-30),
is judged on an absolute scale. With RTOL = 1e-7 and FLOOR = 1e-5:

- rounding-level differences (float64 error ~1e-16 times the condition of the formula)
  never cost marks: they are more than a thousand times below the tolerance;
- a relative error of 1e-3 on any entry that is at least 1e-5 of the answer's scale gives
  err_i of about 5e-4 and always costs marks.

Finite-difference checks compare an analytic gradient with centred differences of E. Their
truncation error is far above rounding, so they use their own, looser FD_RTOL, and each entry
may differ by its rounding noise, FD_NOISE * eps * |E| / step, before any error counts.
"""

from __future__ import annotations

import numpy as np

RTOL = 1e-7
FLOOR = 1e-5

FD_STEP = 1e-6
"""Centred-difference step, relative to max(1, |theta_i|)."""
FD_RTOL = 1e-4
FD_FLOOR = 1e-3
FD_NOISE = 64.0
"""Rounding noise allowed per finite-difference entry, in units of eps * |f| / step."""

GD_MARGIN = 1e-3
"""GD runs test eta = bound * (1 -/+ GD_MARGIN): just inside and just outside a bound."""
GD_STEPS = 3000
"""Enough steps for a factor (1 + 2 * GD_MARGIN) ** GD_STEPS ~ e^6 to show divergence."""

REPEATED_ROOT_ALLOWANCE = 2e-7
"""The rounding allowed (in units of the answer's scale, about 1 for a rate) where the answer
is an eigenvalue modulus that can be a double root, as momentum's is at the optimum: there a
perturbation of eps in the matrix moves the root by about sqrt(eps) ~ 1.5e-8, so
numpy.linalg.eigvals, or the quadratic formula, is accurate to about 1e-8 only. A relative
error of 1e-6 on a rate of normal size still fails."""

ITERATION_STEPS = 4000
"""Steps of an iteration whose contraction per step is observed (momentum): the rate is read
from the growth of the state over the second half, normalised at every step. A double root
biases it by a factor 2^(2 / ITERATION_STEPS) ~ 1 + 3.5e-4, far inside the tolerances below
and the GD_MARGIN effect (a factor of at least 1 -/+ 2e-3 per step just inside and outside a
bound)."""
RATE_RTOL = 1e-2
"""An observed rate and the rate an answer claims agree within this, relative."""
OPTIMUM_STEP = 1e-2
"""Parameters that claim to be optimal are compared with these relative perturbations..."""
OPTIMUM_SLACK = 1e-3
"""...none of which may contract faster by more than this, relative (observation noise)."""


def relative_error(
    actual, expected, unit: float = 0.0, floor: float = FLOOR, allowance: float = 0.0
) -> float:
    """The largest entrywise relative error, as in the module docstring; inf on NaN or inf."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if a.shape != e.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {e.shape}")
    return float(relative_errors([(a, e)], [unit], floor, allowance)[0])


def relative_errors(
    pairs: list[tuple[np.ndarray, np.ndarray]], units, floor: float = FLOOR, allowance: float = 0.0
) -> np.ndarray:
    """relative_error of many (actual, expected) pairs of equal shapes at once: the same
    arithmetic on all entries together (a batch of cases costs about one call), so the same
    bits as one pair at a time. `allowance` (in units of each pair's scale S) is forgiven from
    every entry's difference first: the rounding a sound method may carry (an eigenvalue that
    can be repeated is accurate to about sqrt(eps) only)."""
    errors = np.zeros(len(pairs))
    sizes = np.array([a.size for a, _ in pairs], dtype=np.intp)
    nonempty = np.flatnonzero(sizes)
    if not len(nonempty):
        return errors
    a = np.concatenate([pairs[i][0].ravel() for i in nonempty]).astype(np.float64, copy=False)
    e = np.concatenate([pairs[i][1].ravel() for i in nonempty]).astype(np.float64, copy=False)
    starts = np.concatenate(([0], np.cumsum(sizes[nonempty])[:-1]))
    segment = np.repeat(np.arange(len(nonempty)), sizes[nonempty])
    finite = np.logical_and.reduceat(np.isfinite(a) & np.isfinite(e), starts)
    size = np.abs(a) + np.abs(e)
    scale = np.maximum(np.maximum.reduceat(size, starts), np.asarray(units, dtype=np.float64)[nonempty])
    denominator = np.maximum(size, floor * scale[segment])
    difference = np.abs(a - e)
    if allowance:
        difference = np.maximum(difference - allowance * scale[segment], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.where(denominator > 0, difference / np.where(denominator > 0, denominator, 1), 0)
    errors[nonempty] = np.maximum.reduceat(err, starts)
    for k in np.flatnonzero(~finite):
        i, first, last = nonempty[k], starts[k], starts[k] + sizes[nonempty[k]]
        same = (a[first:last] == e[first:last]) | (np.isnan(a[first:last]) & np.isnan(e[first:last]))
        errors[i] = 0.0 if bool(np.all(same)) else np.inf
    return errors


def matches(actual, expected, unit: float = 0.0, allowance: float = 0.0) -> bool:
    return relative_error(actual, expected, unit, allowance=allowance) <= RTOL


def fd_relative_error(actual, numeric, noise) -> float:
    """Like relative_error, with each entry's finite-difference rounding noise forgiven first."""
    a = np.asarray(actual, dtype=np.float64)
    fd = np.asarray(numeric, dtype=np.float64).reshape(a.shape)
    noise = np.asarray(noise, dtype=np.float64).reshape(a.shape)
    if a.size == 0:
        return 0.0
    if not np.all(np.isfinite(a)):
        return float("inf")
    size = np.abs(a) + np.abs(fd)
    denominator = np.maximum(size, FD_FLOOR * float(size.max()))
    excess = np.maximum(np.abs(a - fd) - noise, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.where(excess > 0, excess / np.where(denominator > 0, denominator, 1.0), 0.0)
    return float(err.max())
