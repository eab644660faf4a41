"""Hypothesis strategies that assignments build their inputs from: small, composable, named for
what they make.

Dimensions are drawn independently from 1 to MAX_DIM, so non-square shapes and n = 1, m = 1,
q = 1 all occur. Entries are spread over magnitudes (Hypothesis floats in [-10, 10], zeros and
round values included, times 10^k for k in -2..1 per array); magnitudes below SMALLEST become
exact zeros, so no case is one whose products underflow and that no sound check could judge.
Curvatures a, b span five orders of magnitude in either order and are never equal by chance:
a == b is a deliberate region of its own. Everything shrinks towards small dimensions and
simple values, so a failing case shrinks to one a student can read.

Regions (grader/model/exercise.py, Region) are strategies too: the parts of the input space
every run must include whatever the seed, such as curvatures far apart in either order.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader.model.exercise import Region

MAX_DIM = 6
CURVATURE_EXPONENTS = (-2.5, 2.5)
SMALLEST = 1e-6
"""Entries of smaller magnitude are drawn as 0."""
APART = 1e-3
"""Curvature exponents closer than this are moved apart: a == b only where a region asks."""


def dimensions() -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=MAX_DIM)


def entries(max_abs: float = 10.0) -> st.SearchStrategy[float]:
    """Finite floats in [-max_abs, max_abs]: zeros and round values mixed in, none tinier than
    SMALLEST but 0."""
    return st.floats(min_value=-max_abs, max_value=max_abs).map(lambda v: 0.0 if abs(v) < SMALLEST else v)


def scales(min_exponent: int = -2, max_exponent: int = 1) -> st.SearchStrategy[float]:
    """A power of ten applied to a whole array, so magnitudes spread from case to case."""
    return st.integers(min_value=min_exponent, max_value=max_exponent).map(lambda k: 10.0**k)


def arrays_of(
    shape: tuple[int, ...],
    elements: st.SearchStrategy[float] | None = None,
    scale: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[np.ndarray]:
    """A float64 array with every entry drawn (no fill value), times a power of ten."""
    values = arrays(
        np.float64, shape, elements=entries() if elements is None else elements, fill=st.nothing()
    )
    scale = scales() if scale is None else scale
    return st.tuples(values, scale).map(lambda pair: pair[0] * pair[1])


def vectors(
    length: int,
    elements: st.SearchStrategy[float] | None = None,
    scale: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[np.ndarray]:
    return arrays_of((length,), elements, scale)


def matrices(rows: int, cols: int) -> st.SearchStrategy[np.ndarray]:
    return arrays_of((rows, cols))


def exponents(low: float = CURVATURE_EXPONENTS[0], high: float = CURVATURE_EXPONENTS[1]):
    return st.floats(min_value=low, max_value=high)


def curvatures() -> st.SearchStrategy[float]:
    """a or b: 10^u with u uniform over CURVATURE_EXPONENTS, so either can be the larger."""
    return exponents().map(lambda u: float(10.0**u))


def _apart(u: float, v: float) -> tuple[float, float]:
    if abs(u - v) >= APART:
        return u, v
    return u, (u - APART if u + APART > CURVATURE_EXPONENTS[1] else u + APART)


def curvature_pairs() -> st.SearchStrategy[dict]:
    """a and b, never equal: exponents closer than APART are moved apart."""
    return st.tuples(exponents(), exponents()).map(lambda pair: _pair(*_apart(*pair)))


def _pair(u: float, v: float) -> dict:
    return {"a": float(10.0**u), "b": float(10.0**v)}


@st.composite
def _far_apart(draw, larger_first: bool) -> dict:
    low = draw(exponents(CURVATURE_EXPONENTS[0], CURVATURE_EXPONENTS[1] - 2.0))
    high = draw(exponents(low + 2.0, CURVATURE_EXPONENTS[1]))
    return _pair(high, low) if larger_first else _pair(low, high)


@st.composite
def _close(draw) -> dict:
    u = draw(exponents(CURVATURE_EXPONENTS[0], CURVATURE_EXPONENTS[1] - 0.05))
    v = u + draw(st.floats(min_value=5e-4, max_value=0.02))
    return _pair(u, v) if draw(st.booleans()) else _pair(v, u)


def _within(low: float, high: float) -> st.SearchStrategy[dict]:
    return st.tuples(exponents(low, high), exponents(low, high)).map(lambda pair: _pair(*_apart(*pair)))


CURVATURE_REGIONS: tuple[Region, ...] = (
    Region("a > b, far apart", _far_apart(True)),
    Region("a < b, far apart", _far_apart(False)),
    Region("a and b close", _close()),
    Region("a and b both tiny", _within(CURVATURE_EXPONENTS[0], -1.5)),
    Region("a and b both huge", _within(1.5, CURVATURE_EXPONENTS[1])),
    Region("a == b", exponents().map(lambda u: _pair(u, u))),
)
"""Where mistakes about a and b show: which is larger, how far apart, how large."""


def step_sizes_for(a: float, b: float) -> st.SearchStrategy[float]:
    """eta from far below to beyond the stability bound 2 / max(a, b)."""
    fractions = st.floats(min_value=1e-3, max_value=1.5)
    return fractions.map(lambda f: float(f * 2.0 / max(a, b)))


STEP_FRACTIONS = {
    "tiny": (1e-3, 1e-2),
    "near the monotone bound": (0.45, 0.55),
    "between the bounds": (0.6, 0.95),
    "beyond the stability bound": (1.05, 1.5),
}
"""Bands of eta as a fraction of the stability bound 2 / max(a, b)."""


def with_step(curvature_pair: st.SearchStrategy[dict], band: tuple[float, float] = (1e-3, 1.5)):
    """A curvature pair with an eta in `band` (fractions of 2 / max(a, b))."""
    fractions = st.floats(min_value=band[0], max_value=band[1])
    return st.tuples(curvature_pair, fractions).map(
        lambda pair: {**pair[0], "eta": float(pair[1] * 2.0 / max(pair[0]["a"], pair[0]["b"]))}
    )


def step_regions(extra=lambda case: st.just(case)) -> tuple[Region, ...]:
    """Every curvature region with some eta, and every band of eta with far-apart curvatures;
    `extra` adds what else the case needs (a point w, ...)."""
    regions = [Region(r.name, with_step(r.inputs).flatmap(extra)) for r in CURVATURE_REGIONS]
    regions += [
        Region(f"eta {name}", with_step(_far_apart(True), band).flatmap(extra))
        for name, band in STEP_FRACTIONS.items()
    ]
    return tuple(regions)
