"""hw2's chained functions rebuilt from the student's *own* earlier functions, for error carried
forward (grader/explain/carry.py)."""

from __future__ import annotations

import numpy as np

from grader.assignments.hw2.mathematics import optimal_parameters
from grader.model.assignment import Chain, Functions, Supply
from grader.model.exercise import Case


def _momentum_rate(c: Case, f: Functions):
    """The largest eigenvalue modulus of the student's own matrices."""
    radii = [
        np.max(
            np.abs(np.linalg.eigvals(np.asarray(f["momentum_matrix"](k, c["eta"], c["beta"]), dtype=float)))
        )
        for k in (c["a"], c["b"])
    ]
    return float(max(radii))


def _best_momentum_rate(c: Case, f: Functions):
    eta, beta = (float(v) for v in np.asarray(f["best_momentum"](c["a"], c["b"]), dtype=float).reshape(2))
    return float(f["momentum_rate"](c["a"], c["b"], eta, beta))


CHAINS: dict[str, Chain] = {
    "momentum_rate": _momentum_rate,
    "best_momentum_rate": _best_momentum_rate,
}


def _at_optimum(c: Case) -> Case:
    eta, beta = optimal_parameters(c["a"], c["b"])
    return {"a": c["a"], "b": c["b"], "eta": float(eta), "beta": float(beta)}


SUPPLIES: tuple[Supply, ...] = (
    Supply("momentum_matrix", "momentum_rate", lambda c: {"c": c["a"], "eta": c["eta"], "beta": c["beta"]}),
    Supply("momentum_matrix", "momentum_rate", lambda c: {"c": c["b"], "eta": c["eta"], "beta": c["beta"]}),
    Supply("momentum_rate", "best_momentum_rate", _at_optimum),
)
