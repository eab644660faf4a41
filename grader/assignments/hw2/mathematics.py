"""hw2's mathematics, written independently of solutions/ so that a bug in the reference cannot
hide: runs of heavy-ball momentum on L = 0.5 (a w1^2 + b w2^2), the contraction per step those
runs show, and Polyak's optimum as SPEC section 6 states it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grader.model.exercise import Answer, Case, IterationRuns
from grader.numerics.tolerance import ITERATION_STEPS


def observed_rates(c, eta, beta, steps: int = ITERATION_STEPS) -> np.ndarray:
    """The contraction per step of momentum on one coordinate with curvature `c`, from
    (w_0, w_-1) = (1, 1), vectorised: the growth of the state's norm over the second half of
    `steps` steps, renormalised at every step (no overflow, no underflow). 0 when the state
    becomes exactly zero (a nilpotent step)."""
    c, eta, beta = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (c, eta, beta)))
    trace = 1.0 + beta - eta * c
    current, previous = np.ones(c.shape), np.ones(c.shape)
    logs = np.zeros(c.shape)
    collapsed = np.zeros(c.shape, dtype=bool)
    half = steps // 2
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(steps):
            current, previous = trace * current - beta * previous, current
            norm = np.hypot(current, previous)
            collapsed |= norm == 0
            norm = np.where((norm == 0) | ~np.isfinite(norm), 1.0, norm)
            current, previous = current / norm, previous / norm
            if step >= half:
                logs += np.log(norm)
    rates = np.exp(logs / (steps - half))
    return np.where(collapsed, 0.0, rates)


def _curvatures(cases: list[Case]) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([c["a"] for c in cases], dtype=np.float64),
        np.array([c["b"] for c in cases], dtype=np.float64),
    )


def observed_rate(a, b, eta, beta) -> np.ndarray:
    """The slower coordinate's contraction per step: the asymptotic rate of momentum on L."""
    return np.maximum(observed_rates(a, eta, beta), observed_rates(b, eta, beta))


def momentum_runs(cases: list[Case], eta: np.ndarray) -> IterationRuns:
    """Whether momentum with each case's beta and the step sizes `eta` converges: its state
    shrinks over the second half of the run."""
    a, b = _curvatures(cases)
    beta = np.array([c["beta"] for c in cases], dtype=np.float64)
    converges = observed_rate(a, b, np.broadcast_to(eta, a.shape), beta) < 1.0
    return IterationRuns(converges=converges, changes_sign=np.zeros(a.shape, dtype=bool))


def optimal_parameters(a, b) -> tuple[np.ndarray, np.ndarray]:
    """Polyak's (eta*, beta*), as SPEC section 6 writes them (through kappa)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    kappa = np.maximum(a, b) / np.minimum(a, b)
    eta = 4.0 / (np.sqrt(a) + np.sqrt(b)) ** 2
    beta = ((np.sqrt(kappa) - 1.0) / (np.sqrt(kappa) + 1.0)) ** 2
    return eta, beta


def optimal_rate(a, b) -> np.ndarray:
    kappa = np.maximum(a, b) / np.minimum(a, b)
    return (np.sqrt(kappa) - 1.0) / (np.sqrt(kappa) + 1.0)


def rates_at_case(cases: list[Case], answers: Sequence[Answer]) -> np.ndarray:
    """Observed rate at each case's own (eta, beta): what momentum_rate must equal."""
    a, b = _curvatures(cases)
    eta = np.array([c["eta"] for c in cases], dtype=np.float64)
    beta = np.array([c["beta"] for c in cases], dtype=np.float64)
    return observed_rate(a, b, eta, beta)


def rates_at_answer(cases: list[Case], answers: Sequence[Answer]) -> np.ndarray:
    """Observed rate at each answer's (eta, beta): how fast the student's choice really is."""
    a, b = _curvatures(cases)
    pairs = np.array([np.asarray(x, dtype=np.float64).reshape(2) for x in answers])
    return observed_rate(a, b, pairs[:, 0], pairs[:, 1])


def rates_at_optimum(cases: list[Case], answers: Sequence[Answer]) -> np.ndarray:
    """Observed rate at Polyak's (eta*, beta*): what best_momentum_rate must equal."""
    a, b = _curvatures(cases)
    return observed_rate(a, b, *optimal_parameters(a, b))


def best_rates(cases: list[Case], answers: Sequence[Answer]) -> np.ndarray:
    """The best rate, by SPEC's formula: what the optimal parameters must achieve."""
    return optimal_rate(*_curvatures(cases))


def claimed_rates(cases: list[Case], answers: Sequence[Answer]) -> np.ndarray:
    return np.array([float(np.asarray(x, dtype=np.float64).reshape(())) for x in answers])


def nearby_parameters(case: Case, answer: Answer, step: float) -> list[np.ndarray]:
    """(eta, beta) moved by a relative `step`, one at a time, each way (beta kept below 1)."""
    eta, beta = (float(v) for v in np.asarray(answer, dtype=np.float64).reshape(2))
    return [
        np.array([eta * (1 + step), beta]),
        np.array([eta * (1 - step), beta]),
        np.array([eta, min(beta * (1 + step), 1 - 1e-12)]),
        np.array([eta, beta * (1 - step)]),
    ]


def spectral_radii(c, eta, beta, part=np.abs) -> np.ndarray:
    """max over the two eigenvalues of `part`(eigenvalue) of each coordinate's matrix, vectorised
    (for the known-wrong variants, e.g. the real part for the modulus)."""
    c, eta, beta = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (c, eta, beta)))
    matrices = np.zeros(c.shape + (2, 2))
    matrices[..., 0, 0] = 1.0 + beta - eta * c
    matrices[..., 0, 1] = -beta
    matrices[..., 1, 0] = 1.0
    return np.max(part(np.linalg.eigvals(matrices)), axis=-1)
