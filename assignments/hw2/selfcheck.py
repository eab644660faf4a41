"""Self-checks for students: they need no reference solution, only the definitions in the
assignment. Each check runs the momentum iteration itself and compares what it does with your
answer: one step with finite-difference gradients, your matrix against your own step, your
rate against the contraction a long run shows, your range by runs just inside and just outside
it, and your optimum against nearby choices.

Passing these is a good sign, not a guarantee: the grader tests many more cases, including
extreme curvatures. This file is standalone (numpy only) and is shipped next to the notebook
as selfcheck.py. Usage in a notebook: `check("momentum_rate", momentum_rate)`.
"""

import os

import numpy as np

RTOL = 1e-5
RATE_RTOL = 1e-2
STEP = 1e-6
_rng = np.random.default_rng(2026)


class CheckFailed(AssertionError):
    pass


def _array(value, name):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise CheckFailed(f"{name} returned something that is not numbers: {exc}") from None


def _expect_shape(value, shape, name):
    array = _array(value, name)
    if array.shape != tuple(shape):
        raise CheckFailed(f"{name} returned shape {array.shape}, expected {tuple(shape)}")
    return array


def _close(actual, expected, what, rtol=RTOL, unit=1e-8):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    scale = max(float(np.max(np.abs(expected), initial=0)), unit)
    error = float(np.max(np.abs(actual - expected), initial=0)) / scale
    if not error <= rtol:
        raise CheckFailed(f"{what}: relative error {error:.2e}")


def _problems():
    """(a, b, beta): either curvature larger, far apart and equal, beta from 0 to near 1."""
    return [(1.0, 3.0, 0.5), (50.0, 0.2, 0.9), (0.01, 100.0, 0.0), (7.0, 7.0, 0.3)]


def _gradient(a, b, w):
    """grad L by centred finite differences of L = 0.5 (a w1^2 + b w2^2)."""
    loss = lambda v: 0.5 * (a * v[0] ** 2 + b * v[1] ** 2)  # noqa: E731
    out = np.zeros(2)
    for i in range(2):
        step = np.zeros(2)
        step[i] = STEP * max(1.0, abs(w[i]))
        out[i] = (loss(w + step) - loss(w - step)) / (2 * step[i])
    return out


def _run(a, b, eta, beta, steps=4000):
    """The contraction per step that momentum shows over the second half of a long run."""
    w, w_prev, logs = np.ones(2), np.ones(2), 0.0
    with np.errstate(all="ignore"):
        for step in range(steps):
            w, w_prev = w - eta * np.array([a, b]) * w + beta * (w - w_prev), w
            norm = float(np.sqrt(np.sum(w**2) + np.sum(w_prev**2)))
            if norm == 0 or not np.isfinite(norm):
                return 0.0 if norm == 0 else float("inf")
            w, w_prev = w / norm, w_prev / norm
            if step >= steps // 2:
                logs += np.log(norm)
    return float(np.exp(logs / (steps - steps // 2)))


def check_momentum_step(fn, functions):
    for a, b, beta in _problems():
        w, w_prev, eta = _rng.normal(size=2), _rng.normal(size=2), 0.7 / max(a, b)
        expected = w - eta * _gradient(a, b, w) + beta * (w - w_prev)
        answer = _expect_shape(fn(w, w_prev, a, b, eta, beta), (2,), "momentum_step")
        _close(answer, expected, "momentum_step vs the update with a finite-difference gradient")


def check_momentum_matrix(fn, functions):
    if "momentum_step" not in functions:
        raise CheckFailed("needs your momentum_step; define it first")
    for a, b, beta in _problems():
        eta = 0.7 / max(a, b)
        state = _rng.normal(size=2)
        matrix = _expect_shape(fn(a, eta, beta), (2, 2), "momentum_matrix")
        after = _array(
            functions["momentum_step"](state[[0, 0]], state[[1, 1]], a, a, eta, beta), "momentum_step"
        )
        _close(matrix @ state, [after[0], state[0]], "momentum_matrix @ (w_t, w_t-1) vs your momentum_step")


def check_momentum_rate(fn, functions):
    for a, b, beta in _problems():
        for eta in (0.3 * (1 + beta) / max(a, b), 1.8 * (1 + beta) / max(a, b)):
            rate = float(_expect_shape(fn(a, b, eta, beta), (), "momentum_rate"))
            _close(
                rate, _run(a, b, eta, beta), f"momentum_rate vs a run of momentum (eta={eta:g})", RATE_RTOL, 1
            )


def check_momentum_eta_range(fn, functions):
    for a, b, beta in _problems():
        low, high = _expect_shape(fn(a, b, beta), (2,), "momentum_eta_range")
        for eta, should in ((high * 0.999, True), (high * 1.001, False), (low + 1e-3 * high, True)):
            converges = _run(a, b, eta, beta) < 1
            if converges != should:
                verdict = "still converges" if converges else "does not converge"
                raise CheckFailed(
                    f"momentum_eta_range({a:g}, {b:g}, {beta:g}) = ({low:g}, {high:g}), but momentum "
                    f"with eta = {eta:g} {verdict}"
                )


def check_best_momentum(fn, functions):
    for a, b, _ in _problems():
        eta, beta = _expect_shape(fn(a, b), (2,), "best_momentum")
        best = _run(a, b, eta, beta)
        for nearby in ((eta * 1.02, beta), (eta * 0.98, beta), (eta, beta * 1.02), (eta, beta * 0.98)):
            if nearby[1] < 1 and _run(a, b, *nearby) < best * (1 - 1e-3):
                raise CheckFailed(
                    f"best_momentum({a:g}, {b:g}) = ({eta:g}, {beta:g}), but (eta, beta) = "
                    f"({nearby[0]:g}, {nearby[1]:g}) contracts faster"
                )


def check_best_momentum_rate(fn, functions):
    if "best_momentum" not in functions:
        raise CheckFailed("needs your best_momentum; define it first")
    for a, b, _ in _problems():
        rate = float(_expect_shape(fn(a, b), (), "best_momentum_rate"))
        eta, beta = _array(functions["best_momentum"](a, b), "best_momentum").reshape(2)
        _close(rate, _run(a, b, eta, beta), "best_momentum_rate vs a run at your best_momentum", RATE_RTOL, 1)


CHECKS = {name[len("check_") :]: f for name, f in dict(globals()).items() if name.startswith("check_")}


def run(name, function, functions=None):
    """Check one function; returns (passed, message). `functions` holds your other functions."""
    functions = dict(functions or {})
    functions.setdefault(name, function)
    try:
        CHECKS[name](function, functions)
    except CheckFailed as exc:
        return False, str(exc)
    except NotImplementedError:
        return False, "not implemented yet"
    except Exception as exc:  # noqa: BLE001 - report the student's own error plainly
        # `grader check` runs your functions in a sandbox and says what they did (student_text)
        return False, getattr(exc, "student_text", None) or f"raised {type(exc).__name__}: {exc}"
    return True, "passed the self-check"


def autograde(name):
    """The autograded test cells call this. While the course autograder runs (nbgrader with the
    course's configuration) it prints the grader's feedback and returns the score, which
    nbgrader takes as partial credit. Anywhere else it only says when the cell is scored."""
    if os.environ.get("GRADER_AUTOGRADE") != "1":
        print(
            f"{name} is scored by the course grader when your notebook is autograded; "
            "meanwhile, run the self-check above."
        )
        return None
    from grader.frontends.nbgrader_cell import score  # fails loudly (no credit) if the grader is missing

    return score(name)


def check(name, function, functions=None):
    """Print the result of one self-check, for a notebook cell."""
    if os.environ.get("GRADER_AUTOGRADE") == "1":
        return None  # while grading, a hanging function must not hang its self-check cell
    if functions is None:
        import __main__

        functions = {k: v for k, v in vars(__main__).items() if k in CHECKS and callable(v)}
    passed, message = run(name, function, functions)
    print(("OK   " if passed else "FIX  ") + f"{name}: {message}")
    return passed


ASSIGNMENT = "hw2"
NOTEBOOKS = ("momentum.ipynb",)


def submit(url=None, token=None):
    """Hand in this assignment's notebooks (save them first) to the course's grading service and
    print the result: `from selfcheck import submit; submit()`. See handin.py."""
    from handin import submit as hand_in

    return hand_in(ASSIGNMENT, NOTEBOOKS, url, token)
