"""hw1's chained functions rebuilt from the student's *own* earlier functions, for error carried
forward (grader/explain/carry.py): a wrong chained answer that equals its rebuild is wrong only
because an earlier answer is."""

from __future__ import annotations

import numpy as np

from grader.assignments.hw1.mathematics import logistic
from grader.model.assignment import Chain, Functions, Supply
from grader.model.exercise import Case


def _vector(value) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


def _dE_dh(c: Case, f: Functions):
    y_hat = _vector(f["forward"](c["x"], c["W1"], c["W2"])[2])
    return _vector(f["dE_dyhat"](y_hat, c["y"])) @ _vector(f["dyhat_dh"](c["W2"]))


def _dE_dz(c: Case, f: Functions):
    z = _vector(f["forward"](c["x"], c["W1"], c["W2"])[0])
    return _vector(f["dE_dh"](c["x"], c["y"], c["W1"], c["W2"])) @ _vector(f["dh_dz"](z))


def _dE_dx(c: Case, f: Functions):
    return _vector(f["dE_dz"](c["x"], c["y"], c["W1"], c["W2"])) @ _vector(f["dz_dx"](c["W1"]))


def _dE_dW2(c: Case, f: Functions):
    _, h, y_hat = (_vector(v) for v in f["forward"](c["x"], c["W1"], c["W2"]))
    q, m = c["W2"].shape
    row = _vector(f["dE_dyhat"](y_hat, c["y"])) @ _vector(f["dyhat_dW2"](h, q))
    return row.reshape(q, m)


def _dE_dW1(c: Case, f: Functions):
    m, n = c["W1"].shape
    row = _vector(f["dE_dz"](c["x"], c["y"], c["W1"], c["W2"])) @ _vector(f["dz_dW1"](c["x"], m))
    return row.reshape(m, n)


def _gd_step(c: Case, f: Functions):
    return _vector(c["w"]) - c["eta"] * _vector(f["grad_L"](c["w"], c["a"], c["b"]))


def _best_rate(c: Case, f: Functions):
    factors = _vector(f["rho"](c["a"], c["b"], float(f["best_eta"](c["a"], c["b"]))))
    return float(np.max(np.abs(factors)))


CHAINS: dict[str, Chain] = {
    "dE_dh": _dE_dh,
    "dE_dz": _dE_dz,
    "dE_dx": _dE_dx,
    "dE_dW2": _dE_dW2,
    "dE_dW1": _dE_dW1,
    "gd_step": _gd_step,
    "best_rate": _best_rate,
}


def _network(case: Case):
    x, W1, W2 = (np.asarray(case[k], dtype=np.float64) for k in ("x", "W1", "W2"))
    z = W1 @ x
    h = logistic(z)
    return z, h, W2 @ h


SUPPLIES: tuple[Supply, ...] = (
    Supply("dE_dyhat", "dE_dh", lambda c: {"y_hat": _network(c)[2], "y": c["y"]}),
    Supply("dE_dyhat", "dE_dW2", lambda c: {"y_hat": _network(c)[2], "y": c["y"]}),
    Supply("dyhat_dh", "dE_dh", lambda c: {"W2": c["W2"]}),
    Supply("dh_dz", "dE_dz", lambda c: {"z": _network(c)[0]}),
    Supply("dz_dx", "dE_dx", lambda c: {"W1": c["W1"]}),
    Supply("dyhat_dW2", "dE_dW2", lambda c: {"h": _network(c)[1], "q": int(c["W2"].shape[0])}),
    Supply("dz_dW1", "dE_dW1", lambda c: {"x": c["x"], "m": int(c["W1"].shape[0])}),
    Supply("grad_L", "gd_step", lambda c: {"w": c["w"], "a": c["a"], "b": c["b"]}),
    Supply("rho", "best_rate", lambda c: {"a": c["a"], "b": c["b"], "eta": 2.0 / (c["a"] + c["b"])}),
)
