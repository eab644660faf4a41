"""hw1's catalogue of known misconceptions: for each exercise, known-wrong variants of the right
formula, written like the students who make them. A failing answer that equals a variant on
every failing case is named in the feedback. Hints point at the fix without giving it."""

from __future__ import annotations

import numpy as np

from grader.assignments.hw1.mathematics import backprop, logistic
from grader.model.exercise import Misconception as M


def _chained(name, **mistake):
    return lambda x, y, W1, W2: backprop(x, y, W1, W2, **mistake)[name]


def _overflowing_sigmoid(z):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(z) / (1 + np.exp(z))


def _h_one_minus_h_of(z):
    h = logistic(z)
    return logistic(h) * (1 - logistic(h))


MISSING_TWO = "dropped the factor 2 of d/dy_hat ||y_hat - y||^2"
HINT_TWO = "E has no 1/2 in front, so its derivative keeps the exponent 2 as a factor."
SIGMA_NOT_SLOPE = "used sigma(z) where its derivative sigma'(z) belongs"
HINT_SLOPE = "The hidden layer contributes dh/dz = sigma'(z) = sigma(z)(1 - sigma(z)), not h."
Z_ONE_MINUS_Z = "wrote z(1 - z) instead of sigma(z)(1 - sigma(z))"
HINT_Z = "The identity sigma' = sigma (1 - sigma) is in terms of sigma(z), not z."
COLUMN_MAJOR = "flattened W column by column (Fortran order) instead of row by row"
HINT_ORDER = "Column j*ncols + k stands for W[j, k]: the row index varies slowest, as in W.ravel()."
MONOTONE = "gave the monotone bound 1/max(a, b) (no sign change), not the stability bound"
HINT_MONOTONE = (
    "Convergence needs |rho_i| < 1, which allows rho_i < 0: the iterates may flip sign and "
    "still shrink. 0 < rho_i < 1 is the stricter, monotone condition."
)
STABILITY = "gave the stability bound, where the monotone bound (no sign change) was asked"
HINT_STABILITY = "No sign change means 0 < rho_i < 1, not just |rho_i| < 1."
WRONG_COORDINATE = "took the bound of the wrong coordinate (min(a, b) where max(a, b) decides)"
HINT_COORDINATE = (
    "Both coordinates must satisfy the condition: the stiffer one, with the larger curvature, binds first."
)
ASCENT = "stepped uphill (gradient ascent: + eta grad L instead of - eta grad L)"
HINT_ASCENT = "Gradient descent moves against the gradient."


RESIDUAL_SUM = "used y_hat + y where the residual y_hat - y belongs"
HINT_RESIDUAL = "E measures how far y_hat is from y: its derivative involves their difference."


def _residual_mistakes(name: str) -> tuple[M, ...]:
    """A wrong dE/dy_hat carried into a chained gradient."""
    return (
        M("residual_sum", RESIDUAL_SUM, HINT_RESIDUAL, _chained(name, sign=1.0)),
        M("missing_two", MISSING_TWO, HINT_TWO, _chained(name, factor=1.0)),
        M(
            "sign",
            "flipped the sign of the residual y_hat - y",
            "Differentiate with respect to y_hat, not y.",
            _chained(name, factor=-2.0),
        ),
        M(
            "sign_missing_two",
            "flipped the sign of the residual and dropped the factor 2",
            HINT_TWO,
            _chained(name, factor=-1.0),
        ),
    )


def _slope_mistakes(name: str) -> tuple[M, ...]:
    """A wrong sigmoid derivative carried into a chained gradient."""
    return (
        M("sigma", SIGMA_NOT_SLOPE, HINT_SLOPE, _chained(name, slope=logistic)),
        M("z_one_minus_z", Z_ONE_MINUS_Z, HINT_Z, _chained(name, slope=lambda z: z * (1 - z))),
        M(
            "slope_of_h",
            "applied sigma' to the activation h instead of the pre-activation z",
            "The chain rule evaluates sigma' where sigma was applied: at z.",
            _chained(name, slope=_h_one_minus_h_of),
        ),
        M(
            "no_slope",
            "left out the hidden layer's Jacobian dh/dz",
            "Between y_hat and the first layer the signal passes through sigma: its Jacobian is a factor.",
            _chained(name, slope=np.ones_like),
        ),
    )


CATALOGUE: dict[str, tuple[M, ...]] = {
    "sigmoid": (
        M(
            "sign_flip",
            "computed 1 / (1 + exp(z)), i.e. sigma(-z)",
            "Check sigma(0) = 0.5 and sigma(z) -> 1 as z -> +inf.",
            lambda z: logistic(-z),
        ),
        M(
            "overflow",
            "computed exp(z) / (1 + exp(z)), which gives inf/inf = NaN for large z",
            "Rewrite the formula so that exp never sees a large positive argument.",
            _overflowing_sigmoid,
        ),
    ),
    "forward": (
        M(
            "tanh_activation",
            "used tanh as the activation instead of the logistic sigma",
            "sigma(z) = 1 / (1 + exp(-z)) takes values in (0, 1); tanh takes them in (-1, 1).",
            lambda x, W1, W2: (W1 @ x, np.tanh(W1 @ x), W2 @ np.tanh(W1 @ x)),
        ),
        M(
            "no_activation",
            "skipped the activation: h = z",
            "h applies sigma to every entry of z.",
            lambda x, W1, W2: (W1 @ x, W1 @ x, W2 @ (W1 @ x)),
        ),
        M(
            "preactivation_output",
            "used the pre-activation z where the activation h belongs: y_hat = W2 z",
            "The output layer reads the activations h.",
            lambda x, W1, W2: (W1 @ x, logistic(W1 @ x), W2 @ (W1 @ x)),
        ),
    ),
    "loss": (
        M(
            "absolute",
            "summed absolute differences instead of squares",
            "E squares each difference: ||y_hat - y||^2.",
            lambda y_hat, y: float(np.sum(np.abs(y_hat - y))),
        ),
        M(
            "truncated",
            "truncated E to a whole number (int instead of float)",
            "Return the exact sum as a float: int() drops the fraction.",
            lambda y_hat, y: float(int(np.sum((y_hat - y) ** 2))),
        ),
        M(
            "mean",
            "took a mean instead of a sum",
            "E is the squared norm: a sum over the q outputs, not an average.",
            lambda y_hat, y: float(np.mean((y_hat - y) ** 2)),
        ),
        M(
            "half",
            "put a factor 1/2 in front",
            "This assignment defines E without the 1/2.",
            lambda y_hat, y: 0.5 * float(np.sum((y_hat - y) ** 2)),
        ),
        M(
            "norm",
            "returned the norm instead of its square",
            "E is ||y_hat - y||^2, the squared norm.",
            lambda y_hat, y: float(np.linalg.norm(y_hat - y)),
        ),
    ),
    "dE_dyhat": (
        M("missing_two", MISSING_TWO, HINT_TWO, lambda y_hat, y: y_hat - y),
        M(
            "sign",
            "flipped the sign: y - y_hat",
            "Differentiate (y_hat - y)^2 with respect to y_hat, not y.",
            lambda y_hat, y: 2 * (y - y_hat),
        ),
        M(
            "mean",
            "divided by q as if E were a mean",
            "E is a sum: no 1/q.",
            lambda y_hat, y: 2 * (y_hat - y) / y.size,
        ),
        M("residual_sum", RESIDUAL_SUM, HINT_RESIDUAL, lambda y_hat, y: 2 * (y_hat + y)),
    ),
    "dh_dz": (
        M("sigma", SIGMA_NOT_SLOPE, HINT_SLOPE, lambda z: np.diag(logistic(z))),
        M("z_one_minus_z", Z_ONE_MINUS_Z, HINT_Z, lambda z: np.diag(z * (1 - z))),
    ),
    "dz_dW1": (
        M("column_major", COLUMN_MAJOR, HINT_ORDER, lambda x, m: np.kron(x[np.newaxis, :], np.eye(m))),
    ),
    "dyhat_dW2": (
        M("column_major", COLUMN_MAJOR, HINT_ORDER, lambda h, q: np.kron(h[np.newaxis, :], np.eye(q))),
    ),
    "dz_dx": (
        M(
            "transposed",
            "returned the transpose",
            "Entry [i, j] is dz_i / dx_j: one row per output.",
            lambda W1: W1.T,
        ),
    ),
    "dyhat_dh": (
        M(
            "transposed",
            "returned the transpose",
            "Entry [i, j] is dy_hat_i / dh_j: one row per output.",
            lambda W2: W2.T,
        ),
    ),
    "dE_dh": _residual_mistakes("dE_dh"),
    "dE_dW2": _residual_mistakes("dE_dW2")
    + (
        M(
            "preactivation",
            "used the pre-activation z where the activation h belongs",
            "y_hat = W2 h: W2 multiplies h.",
            lambda x, y, W1, W2: np.outer(2 * (W2 @ logistic(W1 @ x) - y), W1 @ x),
        ),
    ),
    **{name: _residual_mistakes(name) + _slope_mistakes(name) for name in ("dE_dz", "dE_dx", "dE_dW1")},
    "grad_L": (
        M(
            "factor_two",
            "kept a factor 2: the 1/2 in L cancels the 2 of the derivative",
            "d/dw (0.5 a w^2) = a w.",
            lambda w, a, b: np.array([2 * a * w[0], 2 * b * w[1]]),
        ),
        M(
            "swapped",
            "swapped a and b",
            "a goes with w1, b with w2.",
            lambda w, a, b: np.array([b * w[0], a * w[1]]),
        ),
        M(
            "inverse_curvature",
            "divided by the curvature: w/a instead of a*w",
            "The curvature multiplies w in d/dw (0.5 a w^2).",
            lambda w, a, b: np.array([w[0] / a, w[1] / b]),
        ),
    ),
    "gd_step": (
        M("ascent", ASCENT, HINT_ASCENT, lambda w, a, b, eta: w + eta * np.array([a * w[0], b * w[1]])),
        M(
            "divided",
            "divided by eta instead of multiplying",
            "The step is eta times the gradient.",
            lambda w, a, b, eta: w - np.array([a * w[0], b * w[1]]) / eta,
        ),
    ),
    "rho": (
        M(
            "same_coordinate_a",
            "used a for both coordinates (copy and paste?)",
            "rho_2 belongs to the second coordinate, whose curvature is b.",
            lambda a, b, eta: np.array([1 - a * eta, 1 - a * eta]),
        ),
        M(
            "same_coordinate_b",
            "used b for both coordinates (copy and paste?)",
            "rho_1 belongs to the first coordinate, whose curvature is a.",
            lambda a, b, eta: np.array([1 - b * eta, 1 - b * eta]),
        ),
        M(
            "eta_over_curvature",
            "used eta/a instead of a*eta",
            "One step gives w_i <- w_i - eta * a_i * w_i.",
            lambda a, b, eta: np.array([1 - eta / a, 1 - eta / b]),
        ),
        M(
            "ascent",
            "wrote 1 + a*eta (gradient ascent)",
            HINT_ASCENT,
            lambda a, b, eta: np.array([1 + a * eta, 1 + b * eta]),
        ),
        M(
            "step_only",
            "returned a*eta, the step, instead of the factor 1 - a*eta",
            "rho_i is what w_i is multiplied by in one step.",
            lambda a, b, eta: np.array([a * eta, b * eta]),
        ),
        M(
            "sign_flipped",
            "wrote a*eta - 1: the factor with its sign flipped",
            "One step gives w_i - eta a_i w_i = (1 - eta a_i) w_i.",
            lambda a, b, eta: np.array([a * eta - 1, b * eta - 1]),
        ),
    ),
    "eta_range": (
        M("monotone_bound", MONOTONE, HINT_MONOTONE, lambda a, b: np.array([0.0, 1 / max(a, b)])),
        M("wrong_coordinate", WRONG_COORDINATE, HINT_COORDINATE, lambda a, b: np.array([0.0, 2 / min(a, b)])),
        M(
            "monotone_wrong_coordinate",
            "gave 1/min(a, b): the monotone bound of the wrong coordinate",
            HINT_MONOTONE + " " + HINT_COORDINATE,
            lambda a, b: np.array([0.0, 1 / min(a, b)]),
        ),
        M(
            "best_eta",
            "gave best_eta = 2/(a + b) as the bound",
            "best_eta is the fastest step; the range ends where GD stops converging.",
            lambda a, b: np.array([0.0, 2 / (a + b)]),
        ),
        M(
            "curvature_not_inverse",
            "used the curvature itself instead of its inverse",
            "The condition is |1 - a eta| < 1: solve it for eta.",
            lambda a, b: np.array([0.0, 2 * max(a, b)]),
        ),
    ),
    "monotone_eta_range": (
        M("stability_bound", STABILITY, HINT_STABILITY, lambda a, b: np.array([0.0, 2 / max(a, b)])),
        M("wrong_coordinate", WRONG_COORDINATE, HINT_COORDINATE, lambda a, b: np.array([0.0, 1 / min(a, b)])),
        M(
            "best_eta",
            "gave best_eta = 2/(a + b) as the bound",
            "best_eta usually flips the sign of the stiff coordinate.",
            lambda a, b: np.array([0.0, 2 / (a + b)]),
        ),
    ),
    "best_eta": (
        M(
            "stability_bound",
            "gave the stability bound 2/max(a, b), the edge of divergence",
            "At that eta the stiff coordinate has |rho| = 1: it does not shrink at all.",
            lambda a, b: 2 / max(a, b),
        ),
        M(
            "monotone_bound",
            "gave the monotone bound 1/max(a, b)",
            "That eta zeroes the stiff coordinate in one step but leaves the other slow: "
            "balance |rho_1| and |rho_2|.",
            lambda a, b: 1 / max(a, b),
        ),
        M(
            "missing_two",
            "gave 1/(a + b)",
            "Solve 1 - a eta = -(1 - b eta) for eta.",
            lambda a, b: 1 / (a + b),
        ),
        M(
            "best_rate",
            "returned the rate instead of the step size",
            "best_eta is an eta; best_rate is the rho it achieves.",
            lambda a, b: abs(a - b) / (a + b),
        ),
    ),
    "best_rate": (
        M(
            "signed",
            "dropped the absolute value: (a - b)/(a + b) is negative when a < b",
            "A rate is max |rho_i|, never negative.",
            lambda a, b: (a - b) / (a + b),
        ),
        M(
            "monotone_rate",
            "gave the rate at eta = 1/max(a, b), 1 - min/max",
            "That is the best monotone step, not the best step.",
            lambda a, b: 1 - min(a, b) / max(a, b),
        ),
        M(
            "best_eta",
            "returned best_eta instead of the rate",
            "best_rate is max |rho_i| at best_eta.",
            lambda a, b: 2 / (a + b),
        ),
        M(
            "condition_number",
            "returned the condition number max/min",
            "Express the rate through kappa: it must lie in [0, 1).",
            lambda a, b: max(a, b) / min(a, b),
        ),
    ),
}
