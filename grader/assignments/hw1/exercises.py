"""hw1's exercises, declaratively (SPEC section 3).

Each entry names a graded function, its points, the strategy of its inputs and what is checked:
comparison with the reference on every case (always), centred differences (gradients and
Jacobians), GD runs around the bounds (step-size ranges), and the misconceptions to recognise.
The reference function of the same name lives in solutions/<notebook>.py.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from grader.assignments import strategies as s
from grader.assignments.hw1 import strategies as hw1s
from grader.assignments.hw1.mathematics import (
    backprop,
    gd_runs,
    logistic,
    logistic_slope,
    network_error,
    network_term_scales,
    quadratic_loss,
)
from grader.assignments.hw1.mistakes import CATALOGUE
from grader.model.exercise import (
    Case,
    Exercise,
    FiniteDifference,
    Returns,
    StepSizeBound,
    WrittenQuestion,
    bound_parts,
    tuple_parts,
)

BACKPROP = "backprop"
DESCENT = "gradient_descent"

NETWORK_ARGS = ("x", "y", "W1", "W2")
ANY_DIMENSION_ONE = "a dimension equal to 1"


def _network_has_unit_dimension(case: Case) -> bool:
    return 1 in (case["x"].size, case["W1"].shape[0], case["y"].size)


def _vector_length_one(*names: str):
    return lambda case: any(np.size(case[name]) == 1 for name in names)


def _matrix_has_unit_dimension(name: str):
    return lambda case: 1 in case[name].shape


def _weights_have_unit_dimension(vector: str, width: str):
    """The (width x len(vector)) weight matrix of z = W v, which the case holds only by size."""
    return lambda case: case[width] == 1 or np.size(case[vector]) == 1


def _with_replaced(case: Case, name: str):
    """E as a function of one argument of the network, the others held at the case's values."""

    def error(value: np.ndarray) -> float:
        args = {k: case[k] for k in NETWORK_ARGS}
        args[name] = value
        return network_error(**args)

    return error


def _error_wrt(name: str) -> FiniteDifference:
    return FiniteDifference(
        f"E with respect to {name}", lambda case: (case[name], _with_replaced(case, name))
    )


def _error_wrt_activation(case: Case):
    x, y, W1, W2 = (case[k] for k in NETWORK_ARGS)
    residual_of = lambda h: float(np.sum((W2 @ h - y) ** 2))  # noqa: E731
    return logistic(W1 @ x), residual_of


def _error_wrt_preactivation(case: Case):
    x, y, W1, W2 = (case[k] for k in NETWORK_ARGS)
    return W1 @ x, lambda z: float(np.sum((W2 @ logistic(z) - y) ** 2))


def _linear_in_weights(vector: str, width: str):
    """z = W v as a function of W (any W: the Jacobian does not depend on it)."""

    def target(case: Case):
        v = case[vector]
        return np.zeros((case[width], v.size)), lambda W: W @ v

    return target


def _linear_in_input(matrix: str):
    def target(case: Case):
        W = case[matrix]
        return np.zeros(W.shape[1]), lambda v: W @ v

    return target


def _scale_of(name: str):
    return lambda case: network_term_scales(*(case[k] for k in NETWORK_ARGS))[name]


def _forward_scale(case: Case) -> tuple:
    """(z, h, y_hat): h = sigma(z) lies in (0, 1), so its terms are of size 1."""
    scales = network_term_scales(case["x"], np.zeros(case["W2"].shape[0]), case["W1"], case["W2"])
    return scales["z"], 1.0, scales["y_hat"]


SLOPE_UNIT = 0.25
"""The largest sigma' can be. Correct formulas for it differ in which terms cancel (sigma(1 -
sigma) near z >> 0, (1 - tanh(z/2)^2) / 4 wherever |z| is large), so each entry is judged
on this scale, not on its own size."""


def _loss_scale(case: Case) -> float:
    """E expanded, y_hat @ y_hat - 2 y_hat @ y + y @ y, cancels when y_hat ~ y: its terms."""
    size = np.abs(case["y_hat"]) + np.abs(case["y"])
    return float(size @ size)


def _residual_scale(case: Case) -> np.ndarray:
    return 2.0 * (np.abs(case["y_hat"]) + np.abs(case["y"]))


def _step_scale(case: Case) -> np.ndarray:
    """gd_step = w - eta grad L(w) and rho = 1 - eta c cancel when eta c ~ 1: per coordinate."""
    curvature = np.array([case["a"], case["b"]])
    return np.abs(case.get("w", np.ones(2))) * (1.0 + case["eta"] * curvature)


def _entry(name: str, notebook: str, points: float, inputs, args, **checks) -> Exercise:
    return Exercise(
        name, notebook, points, inputs, tuple(args), misconceptions=CATALOGUE.get(name, ()), **checks
    )


def _network_gradient(name: str, points: float, calls: tuple[str, ...], check: FiniteDifference) -> Exercise:
    """A chained gradient of E: random networks, edge cases with a dimension of 1, the size of
    its summed terms as the tolerance's unit, and a finite-difference check."""
    own = replace(check, independent=lambda case: backprop(*(case[k] for k in NETWORK_ARGS))[name])
    return _entry(
        name,
        BACKPROP,
        points,
        hw1s.networks(),
        NETWORK_ARGS,
        calls=calls,
        unit=_scale_of(name),
        is_edge=_network_has_unit_dimension,
        edge_description=ANY_DIMENSION_ONE,
        finite_difference=own,
        regions=hw1s.NETWORK_REGIONS,
    )


EXERCISES: tuple[Exercise, ...] = (
    _entry(
        "sigmoid",
        BACKPROP,
        2,
        hw1s.preactivations(max_exponent=2).map(lambda z: {"z": z}),
        ["z"],
        unit=1.0,
        is_edge=lambda c: bool(np.max(np.abs(c["z"])) > 30),
        edge_description="|z| > 30",
        regions=hw1s.SIGMOID_REGIONS,
    ),
    _entry(
        "forward",
        BACKPROP,
        3,
        hw1s.networks(),
        ["x", "W1", "W2"],
        returns=Returns.TUPLE,
        tuple_length=3,
        parts=tuple_parts("z", "h", "y_hat"),
        is_edge=_network_has_unit_dimension,
        unit=_forward_scale,
        edge_description=ANY_DIMENSION_ONE,
        regions=hw1s.NETWORK_REGIONS,
    ),
    _entry(
        "loss",
        BACKPROP,
        2,
        hw1s.output_pairs(),
        ["y_hat", "y"],
        unit=_loss_scale,
        is_edge=_vector_length_one("y"),
        edge_description="q = 1",
        regions=hw1s.OUTPUT_REGIONS,
    ),
    _entry(
        "dE_dyhat",
        BACKPROP,
        4,
        hw1s.output_pairs(),
        ["y_hat", "y"],
        unit=_residual_scale,
        is_edge=_vector_length_one("y"),
        edge_description="q = 1",
        finite_difference=FiniteDifference(
            "E with respect to y_hat",
            lambda c: (c["y_hat"], lambda v: float(np.sum((v - c["y"]) ** 2))),
            independent=lambda c: 2.0 * (c["y_hat"] - c["y"]),
        ),
        regions=hw1s.OUTPUT_REGIONS,
    ),
    _entry(
        "dh_dz",
        BACKPROP,
        6,
        hw1s.preactivations(max_exponent=1).map(lambda z: {"z": z}),
        ["z"],
        unit=SLOPE_UNIT,
        is_edge=_vector_length_one("z"),
        edge_description="m = 1",
        finite_difference=FiniteDifference(
            "h = sigma(z) with respect to z",
            lambda c: (c["z"], logistic),
            independent=lambda c: np.diag(logistic_slope(c["z"])),
        ),
        regions=hw1s.SLOPE_REGIONS,
    ),
    _entry(
        "dz_dW1",
        BACKPROP,
        8,
        hw1s.input_and_width(),
        ["x", "m"],
        is_edge=_weights_have_unit_dimension("x", "m"),
        edge_description="n = 1 or m = 1",
        finite_difference=FiniteDifference("z = W1 x with respect to W1", _linear_in_weights("x", "m")),
        regions=hw1s.INPUT_WIDTH_REGIONS,
    ),
    _entry(
        "dyhat_dW2",
        BACKPROP,
        5,
        hw1s.hidden_and_width(),
        ["h", "q"],
        is_edge=_weights_have_unit_dimension("h", "q"),
        edge_description="m = 1 or q = 1",
        finite_difference=FiniteDifference("y_hat = W2 h with respect to W2", _linear_in_weights("h", "q")),
        regions=hw1s.HIDDEN_WIDTH_REGIONS,
    ),
    _entry(
        "dz_dx",
        BACKPROP,
        2,
        hw1s.weight_matrices().map(lambda W: {"W1": W}),
        ["W1"],
        is_edge=_matrix_has_unit_dimension("W1"),
        edge_description=ANY_DIMENSION_ONE,
        finite_difference=FiniteDifference("z = W1 x with respect to x", _linear_in_input("W1")),
        regions=hw1s.matrix_regions("W1"),
    ),
    _entry(
        "dyhat_dh",
        BACKPROP,
        2,
        hw1s.weight_matrices().map(lambda W: {"W2": W}),
        ["W2"],
        is_edge=_matrix_has_unit_dimension("W2"),
        edge_description=ANY_DIMENSION_ONE,
        finite_difference=FiniteDifference("y_hat = W2 h with respect to h", _linear_in_input("W2")),
        regions=hw1s.matrix_regions("W2"),
    ),
    _network_gradient(
        "dE_dh",
        4,
        ("forward", "dE_dyhat", "dyhat_dh"),
        FiniteDifference("E with respect to h", _error_wrt_activation),
    ),
    _network_gradient(
        "dE_dz",
        5,
        ("forward", "dE_dh", "dh_dz"),
        FiniteDifference("E with respect to z", _error_wrt_preactivation),
    ),
    _network_gradient("dE_dx", 5, ("dE_dz", "dz_dx"), _error_wrt("x")),
    _network_gradient("dE_dW2", 6, ("forward", "dE_dyhat", "dyhat_dW2"), _error_wrt("W2")),
    _network_gradient("dE_dW1", 8, ("dE_dz", "dz_dW1"), _error_wrt("W1")),
    _entry(
        "grad_L",
        DESCENT,
        3,
        hw1s.quadratic_points(),
        ["w", "a", "b"],
        finite_difference=FiniteDifference(
            "L with respect to w", lambda c: (c["w"], lambda w: quadratic_loss(w, c["a"], c["b"]))
        ),
        regions=hw1s.POINT_REGIONS,
    ),
    _entry(
        "gd_step",
        DESCENT,
        3,
        hw1s.quadratic_points(with_step=True),
        ["w", "a", "b", "eta"],
        calls=("grad_L",),
        unit=_step_scale,
        regions=hw1s.POINT_STEP_REGIONS,
    ),
    _entry(
        "rho",
        DESCENT,
        5,
        hw1s.step_size_problems(),
        ["a", "b", "eta"],
        unit=_step_scale,
        regions=hw1s.STEP_REGIONS,
    ),
    _entry(
        "eta_range",
        DESCENT,
        8,
        s.curvature_pairs(),
        ["a", "b"],
        parts=bound_parts(0.25),
        step_size_bound=StepSizeBound(monotone=False, run=gd_runs),
        regions=s.CURVATURE_REGIONS,
    ),
    _entry(
        "monotone_eta_range",
        DESCENT,
        4,
        s.curvature_pairs(),
        ["a", "b"],
        parts=bound_parts(0.25),
        step_size_bound=StepSizeBound(monotone=True, run=gd_runs),
        regions=s.CURVATURE_REGIONS,
    ),
    _entry("best_eta", DESCENT, 3, s.curvature_pairs(), ["a", "b"], regions=s.CURVATURE_REGIONS),
    _entry(
        "best_rate",
        DESCENT,
        4,
        s.curvature_pairs(),
        ["a", "b"],
        calls=("best_eta", "rho"),
        unit=1.0,
        regions=s.CURVATURE_REGIONS,
    ),
)

WRITTEN: tuple[WrittenQuestion, ...] = (
    WrittenQuestion(
        "backprop_written",
        BACKPROP,
        4,
        "The Jacobian chains for dE/dW1 and dE/dW2 with every factor's shape, and why "
        "dE/dW1 costs more (multiplication counts, explicit-Jacobian and "
        "vector-Jacobian routes).",
    ),
    WrittenQuestion(
        "gradient_descent_written", DESCENT, 4, "Why GD is slow when a/b is large, using best_rate."
    ),
)
