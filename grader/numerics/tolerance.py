"""Every numerical tolerance the grader uses, in one place, with why it is what it is.

**The comparison rule.** An answer a is compared with the expected e entry by entry. Each
entry i has a *term size* T_i: the size of the terms it is computed from, i.e. the same formula
with every operand replaced by its absolute value and every minus by a plus (each exercise
supplies it as its `unit`; it is never taken smaller than |e_i|). Then

    err_i = max(|a_i - e_i| - ALLOWANCE * T_i, 0) / max(|a_i| + |e_i|, FLOOR * S),   S = max_j T_j

and a case passes when max_i err_i <= RTOL. This is CS231n's relative error, with two
additions: the rounding any sound float64 method may carry is forgiven first, and an entry far
below the rest of the answer is judged on the answer's scale.

**Why these numbers.**
- A sound evaluation of a formula in float64 errs by at most k * eps * T_i, k the operations on
  the path (a few dozen here): under 1e-14 * T_i, and that includes every formula that loses
  digits to cancellation (the loss *is* an error relative to the terms, not to the result:
  `yh@yh - 2*yh@y + y@y` for the loss, sigma(z)(1 - sigma(z)) at |z| = 20, a residual that
  cancels). Intermediate results perturbed by 1e-12 relative and compounded through a chain of
  up to ten calls err by about 1e-11 * T_i. ALLOWANCE = 1e-8 is a thousand times both: correct
  work never loses marks to rounding.
- A relative error d on an entry of normal size (|e_i| ~ T_i) gives err_i ~ (d - 1e-8) / 2: it
  fails from d ~ 2.1e-7 on. d = 1e-6 gives 5e-7, five times RTOL: it always fails; d = 1e-3,
  always by far.
- FLOOR = 1e-5: an entry below 1e-5 of the answer's scale S (sigma(-30) next to sigma(0)) is
  judged against FLOOR * S, so its own last digits are not what decides.
- Where the answer is an eigenvalue modulus that can be a double root (momentum's rate, at
  Polyak's optimum), a perturbation of eps in the matrix moves the root by sqrt(eps) ~ 1.5e-8:
  `numpy.linalg.eigvals`, or the quadratic formula, is accurate to about 1e-8 only. Those
  exercises forgive REPEATED_ROOT_ALLOWANCE = 2e-7 instead; 1e-6 on a rate still fails.

**Finite differences** compare an analytic gradient with centred differences of E. Their
truncation error is far above rounding, so they use their own FD_RTOL; each entry may first
differ by its own noise, estimated from steps h and 2h and from E's rounding, FD_NOISE * eps *
max(|E|, T_E) / h, with T_E the term size of E (a residual that cancels leaves E's rounding at
the size of its terms, not of E); and an entry is judged against FD_FLOOR times the larger of
the gradient's size and its term size.
"""

from __future__ import annotations

import numpy as np

RTOL = 1e-7
FLOOR = 1e-5
ALLOWANCE = 1e-8
"""The rounding a sound float64 method may carry, in units of each entry's term size."""

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
"""ALLOWANCE for an answer that is an eigenvalue modulus that can be a double root (see above)."""

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


def relative_error(actual, expected, unit=0.0, floor: float = FLOOR, allowance: float = ALLOWANCE) -> float:
    """The largest entrywise relative error, as in the module docstring; inf on NaN or inf."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if a.shape != e.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {e.shape}")
    return float(relative_errors([(a, e)], [unit], floor, allowance)[0])


def relative_errors(
    pairs: list[tuple[np.ndarray, np.ndarray]], units, floor: float = FLOOR, allowance: float = ALLOWANCE
) -> np.ndarray:
    """relative_error of many (actual, expected) pairs of equal shapes at once: the same
    arithmetic on all entries together (a batch of cases costs about one call), so the same
    bits as one pair at a time. `units` holds each pair's term sizes: a number, or an array
    that broadcasts to the pair's shape."""
    if not pairs:
        return np.zeros(0)
    side = ExpectedSide([e for _, e in pairs], units, floor, allowance)
    return side.errors(np.concatenate([np.ravel(a) for a, _ in pairs]).astype(np.float64, copy=False))


class ExpectedSide:
    """Everything relative_errors computes from the expected answers alone (entries, term
    sizes, each answer's scale), computed once: a grading plan holds one per exercise part and
    compares every submission's answers with it. `errors` then does only the actual side's
    arithmetic, entry by entry the same operations as relative_error, so the same bits."""

    def __init__(self, expected, units, floor: float = FLOOR, allowance: float = ALLOWANCE) -> None:
        arrays = [np.asarray(e, dtype=np.float64) for e in expected]
        self.sizes = np.array([e.size for e in arrays], dtype=np.intp)
        self.offsets = np.concatenate(([0], np.cumsum(self.sizes))).astype(np.intp)
        empty = np.zeros(0)
        self.expected = np.concatenate([e.ravel() for e in arrays]) if arrays else empty
        each = [_terms(u, e.shape) for u, e in zip(units, arrays, strict=True)]
        terms = np.concatenate(each) if each else empty
        nonempty = np.flatnonzero(self.sizes)
        with np.errstate(invalid="ignore"):
            terms = np.maximum(np.abs(terms), np.abs(self.expected))
            scale = np.zeros(len(arrays))
            if len(nonempty):
                scale[nonempty] = np.maximum.reduceat(terms, self.offsets[nonempty])
            self.floor_scale = np.repeat(floor * scale, self.sizes)
            self.allowed = allowance * terms
        self.finite = np.isfinite(self.expected)

    def errors(self, actual: np.ndarray, chosen: np.ndarray | None = None) -> np.ndarray:
        """The relative error of each chosen answer (indices in increasing order; all when
        None), `actual` holding their entries one after the other."""
        if chosen is None:
            sizes, e, floor_scale, allowed, finite = (
                self.sizes,
                self.expected,
                self.floor_scale,
                self.allowed,
                self.finite,
            )
        else:
            sizes = self.sizes[chosen]
            if len(chosen) == 1:
                take: slice | np.ndarray = slice(self.offsets[chosen[0]], self.offsets[chosen[0] + 1])
            else:
                mask = np.zeros(len(self.sizes), dtype=bool)
                mask[chosen] = True
                take = np.repeat(mask, self.sizes)
            e, floor_scale = self.expected[take], self.floor_scale[take]
            allowed, finite = self.allowed[take], self.finite[take]
        if actual.shape != e.shape:
            raise ValueError(f"{actual.size} actual entries for {e.size} expected")
        errors = np.zeros(len(sizes))
        nonempty = np.flatnonzero(sizes)
        if not len(nonempty):
            return errors
        starts = np.concatenate(([0], np.cumsum(sizes[nonempty])[:-1]))
        a = actual
        all_finite = np.logical_and.reduceat(np.isfinite(a) & finite, starts)
        with np.errstate(invalid="ignore"):
            denominator = np.maximum(np.abs(a) + np.abs(e), floor_scale)
            difference = np.maximum(np.abs(a - e) - allowed, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            err = np.where(denominator > 0, difference / np.where(denominator > 0, denominator, 1), 0)
        errors[nonempty] = np.maximum.reduceat(err, starts)
        for k in np.flatnonzero(~all_finite):
            i, first, last = nonempty[k], starts[k], starts[k] + sizes[nonempty[k]]
            same = (a[first:last] == e[first:last]) | (np.isnan(a[first:last]) & np.isnan(e[first:last]))
            errors[i] = 0.0 if bool(np.all(same)) else np.inf
        return errors


def _terms(unit, shape: tuple[int, ...]) -> np.ndarray:
    """Term sizes broadcast to an answer's shape; where they cannot be (an answer compared with
    something of another shape than the case's), their largest stands for every entry."""
    unit = np.asarray(unit, dtype=np.float64)
    try:
        return np.broadcast_to(unit, shape).ravel()
    except ValueError:
        return np.full(int(np.prod(shape)), float(np.max(unit, initial=0.0)))


def matches(actual, expected, unit=0.0, allowance: float = ALLOWANCE) -> bool:
    return relative_error(actual, expected, unit, allowance=allowance) <= RTOL


def fd_relative_error(actual, numeric, noise) -> float:
    """Like relative_error, with each entry's finite-difference rounding noise forgiven first;
    inf when either side holds a NaN or an inf (differences that overflowed confirm nothing)."""
    a = np.asarray(actual, dtype=np.float64)
    fd = np.asarray(numeric, dtype=np.float64).reshape(a.shape)
    noise = np.asarray(noise, dtype=np.float64).reshape(a.shape)
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(fd))):
        return float("inf")
    size = np.abs(a) + np.abs(fd)
    denominator = np.maximum(size, FD_FLOOR * float(size.max()))
    excess = np.maximum(np.abs(a - fd) - noise, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.where(excess > 0, excess / np.where(denominator > 0, denominator, 1.0), 0.0)
    return float(err.max())
