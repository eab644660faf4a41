"""hw2's catalogue of known misconceptions: known-wrong variants of the right formulas, written
like the students who make them. A failing answer that equals a variant on every failing case
is named in the feedback; hints point at the fix without giving it."""

from __future__ import annotations

import numpy as np

from grader.assignments.hw2.mathematics import spectral_radii
from grader.model.exercise import Misconception as M


def _gradient(w, a, b):
    return np.array([a * w[0], b * w[1]])


def _optimum(a, b):
    kappa = max(a, b) / min(a, b)
    root = np.sqrt(kappa)
    return 4.0 / (np.sqrt(a) + np.sqrt(b)) ** 2, ((root - 1) / (root + 1)) ** 2


def _rate(a, b, eta, beta, part=np.abs, combine=max):
    return float(combine(spectral_radii(c, eta, beta, part) for c in (a, b)))


GD_INSTEAD = "Momentum changes the answer: carry beta through."
HINT_STATE = "The state is (w_t, w_{t-1}): the first row gives w_{t+1}, the second copies w_t."

CATALOGUE: dict[str, tuple[M, ...]] = {
    "momentum_step": (
        M(
            "no_momentum",
            "took a plain GD step, without the momentum term beta (w - w_prev)",
            "The heavy ball keeps beta times its last move.",
            lambda w, w_prev, a, b, eta, beta: w - eta * _gradient(w, a, b),
        ),
        M(
            "momentum_sign",
            "added beta (w_prev - w): the momentum term with its sign flipped",
            "Momentum keeps going the way the last step went: w - w_prev.",
            lambda w, w_prev, a, b, eta, beta: w - eta * _gradient(w, a, b) + beta * (w_prev - w),
        ),
        M(
            "gradient_at_previous",
            "took the gradient at w_prev instead of at w",
            "The heavy ball's gradient is taken at the current iterate.",
            lambda w, w_prev, a, b, eta, beta: w - eta * _gradient(w_prev, a, b) + beta * (w - w_prev),
        ),
        M(
            "swapped_state",
            "swapped w and w_prev",
            "w is the current iterate, w_prev the one before it.",
            lambda w, w_prev, a, b, eta, beta: w_prev - eta * _gradient(w_prev, a, b) + beta * (w_prev - w),
        ),
        M(
            "ascent",
            "stepped uphill (+ eta grad L)",
            "Gradient descent, with or without momentum, moves against the gradient.",
            lambda w, w_prev, a, b, eta, beta: w + eta * _gradient(w, a, b) + beta * (w - w_prev),
        ),
    ),
    "momentum_matrix": (
        M(
            "swapped_state_order",
            "ordered the state as (w_{t-1}, w_t)",
            HINT_STATE,
            lambda c, eta, beta: np.array([[0.0, 1.0], [-beta, 1.0 + beta - eta * c]]),
        ),
        M(
            "transposed",
            "returned the transpose",
            HINT_STATE,
            lambda c, eta, beta: np.array([[1.0 + beta - eta * c, 1.0], [-beta, 0.0]]),
        ),
        M(
            "no_beta_on_diagonal",
            "left beta out of the top-left entry (1 - eta c)",
            "w_{t+1} = (1 + beta - eta c) w_t - beta w_{t-1}: beta w_t comes from beta (w_t - w_{t-1}).",
            lambda c, eta, beta: np.array([[1.0 - eta * c, -beta], [1.0, 0.0]]),
        ),
        M(
            "beta_sign",
            "wrote + beta in the top-right entry",
            "beta (w_t - w_{t-1}) contributes - beta w_{t-1}.",
            lambda c, eta, beta: np.array([[1.0 + beta - eta * c, beta], [1.0, 0.0]]),
        ),
    ),
    "momentum_rate": (
        M(
            "real_part",
            "took the largest real part of the eigenvalues instead of their modulus",
            "Complex eigenvalues shrink the state by their modulus |lambda| per step.",
            lambda a, b, eta, beta: _rate(a, b, eta, beta, part=lambda v: np.abs(v.real)),
        ),
        M(
            "signed_eigenvalue",
            "took the largest eigenvalue itself, not its modulus",
            "A negative or complex eigenvalue shrinks the state by its modulus.",
            lambda a, b, eta, beta: _rate(a, b, eta, beta, part=lambda v: v.real),
        ),
        M(
            "first_coordinate",
            "used only the first coordinate's curvature a",
            "b has a matrix of its own: take the slower of the two.",
            lambda a, b, eta, beta: _rate(a, a, eta, beta),
        ),
        M(
            "min_over_coordinates",
            "took the faster coordinate (min) where the slower one (max) decides",
            "The error is gone only when both coordinates are: the slower one sets the rate.",
            lambda a, b, eta, beta: _rate(a, b, eta, beta, combine=min),
        ),
        M(
            "gd_rate",
            "gave GD's rate max |1 - eta c|, ignoring beta",
            GD_INSTEAD,
            lambda a, b, eta, beta: max(abs(1 - eta * a), abs(1 - eta * b)),
        ),
    ),
    "momentum_eta_range": (
        M(
            "gd_range",
            "gave GD's range 2/max(a, b), without the factor 1 + beta",
            "With momentum the bound grows: solve for where an eigenvalue reaches -1.",
            lambda a, b, beta: np.array([0.0, 2.0 / max(a, b)]),
        ),
        M(
            "min_curvature",
            "used min(a, b) where max(a, b) decides",
            "Both coordinates must converge: the stiffer one, with the larger curvature, binds first.",
            lambda a, b, beta: np.array([0.0, 2.0 * (1.0 + beta) / min(a, b)]),
        ),
        M(
            "one_minus_beta",
            "wrote 1 - beta where 1 + beta belongs",
            "At eta c = 2 (1 + beta) the characteristic polynomial has the root -1.",
            lambda a, b, beta: np.array([0.0, 2.0 * (1.0 - beta) / max(a, b)]),
        ),
        M(
            "symmetric",
            "gave a symmetric range (-high, high), letting in negative step sizes",
            "A negative eta steps uphill: the iterates grow, with or without momentum.",
            lambda a, b, beta: np.array([-2.0 * (1.0 + beta) / max(a, b), 2.0 * (1.0 + beta) / max(a, b)]),
        ),
    ),
    "best_momentum": (
        M(
            "gd_eta",
            "gave GD's best step 2/(a + b) for eta",
            GD_INSTEAD,
            lambda a, b: np.array([2.0 / (a + b), _optimum(a, b)[1]]),
        ),
        M(
            "beta_not_squared",
            "did not square beta*: (sqrt(kappa) - 1)/(sqrt(kappa) + 1) is the rate, not beta",
            "At the optimum the double root has modulus sqrt(beta).",
            lambda a, b: np.array([_optimum(a, b)[0], np.sqrt(_optimum(a, b)[1])]),
        ),
        M(
            "kappa_not_rooted",
            "used kappa where sqrt(kappa) belongs in beta*",
            "Momentum's gain is the square root of the condition number.",
            lambda a, b: np.array(
                [_optimum(a, b)[0], ((max(a, b) / min(a, b) - 1) / (max(a, b) / min(a, b) + 1)) ** 2]
            ),
        ),
        M(
            "missing_four",
            "gave 1/(sqrt(a) + sqrt(b))^2 for eta, without the 4",
            "Make both coordinates' roots double: solve for eta with beta = beta*.",
            lambda a, b: np.array([1.0 / (np.sqrt(a) + np.sqrt(b)) ** 2, _optimum(a, b)[1]]),
        ),
        M(
            "swapped",
            "returned (beta*, eta*) instead of (eta*, beta*)",
            "The first entry is the step size.",
            lambda a, b: np.array(_optimum(a, b)[::-1]),
        ),
    ),
    "best_momentum_rate": (
        M(
            "gd_rate",
            "gave GD's best rate (kappa - 1)/(kappa + 1)",
            GD_INSTEAD,
            lambda a, b: (max(a, b) / min(a, b) - 1) / (max(a, b) / min(a, b) + 1),
        ),
        M(
            "squared",
            "gave beta* = ((sqrt(kappa) - 1)/(sqrt(kappa) + 1))^2, the square of the rate",
            "At the optimum the double root's modulus is sqrt(beta*).",
            lambda a, b: _optimum(a, b)[1],
        ),
        M(
            "signed",
            "took kappa = a/b, which makes the rate negative when a < b",
            "kappa = max(a, b) / min(a, b) >= 1; a rate is never negative.",
            lambda a, b: (np.sqrt(a / b) - 1) / (np.sqrt(a / b) + 1),
        ),
        M(
            "first_order",
            "gave the large-kappa approximation 1 - 2/sqrt(kappa)",
            "Give the exact rate, not its expansion.",
            lambda a, b: 1 - 2 / np.sqrt(max(a, b) / min(a, b)),
        ),
    ),
}
