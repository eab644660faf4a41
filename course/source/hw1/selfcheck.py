"""Self-checks for students: they need no reference solution, only the definitions in the
assignment. Gradients and Jacobians are compared with centred finite differences of your own
forward pass and loss; rho with one GD step; the step-size ranges with GD runs just inside and
just outside your bounds; and every answer's shape with the conventions of the notebook.

Passing these is a good sign, not a guarantee: the grader tests many more cases, including
sizes of 1 and extreme values. This file is standalone (numpy only) and is shipped next to
the notebooks as selfcheck.py. Usage in a notebook: `check("dE_dW1", dE_dW1)`.
"""

import os

import numpy as np

RTOL = 1e-5
STEP = 1e-6
_rng = np.random.default_rng(2026)


class CheckFailed(AssertionError):
    pass


def _sizes():
    """Small, unequal sizes first (catch transposes), then sizes of 1 (catch squeezes)."""
    return [(3, 4, 2), (2, 1, 3), (1, 3, 1), (4, 2, 1)]


def _network(n, m, q):
    return (_rng.normal(size=n), _rng.normal(size=q), _rng.normal(size=(m, n)), _rng.normal(size=(q, m)))


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


def _close(actual, expected, what, unit=1e-8):
    """Relative to the largest expected entry, or to `unit` for quantities of known size."""
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    scale = max(float(np.max(np.abs(expected), initial=0)), unit)
    error = float(np.max(np.abs(actual - expected), initial=0)) / scale
    if not error <= RTOL:
        raise CheckFailed(f"{what}: relative error {error:.2e}")


def _numeric_jacobian(f, theta):
    theta = np.asarray(theta, dtype=float)
    flat = theta.ravel()
    columns = []
    for i in range(flat.size):
        h = STEP * max(1.0, abs(flat[i]))
        plus, minus = flat.copy(), flat.copy()
        plus[i] += h
        minus[i] -= h
        columns.append(
            (np.ravel(f(plus.reshape(theta.shape))) - np.ravel(f(minus.reshape(theta.shape)))) / (2 * h)
        )
    return np.stack(columns, axis=1)


def _error_function(functions):
    """E(x, y, W1, W2) built from your own forward and loss."""
    forward, loss = functions["forward"], functions["loss"]
    return lambda x, y, W1, W2: float(loss(np.asarray(forward(x, W1, W2)[2], float), y))


def check_sigmoid(sigmoid, functions):
    z = np.array([-1000.0, -30.0, -2.0, 0.0, 2.0, 30.0, 1000.0])
    s = _expect_shape(sigmoid(z), z.shape, "sigmoid")
    if not np.all(np.isfinite(s)):
        raise CheckFailed("sigmoid gives NaN or inf for large |z|: make it numerically stable")
    _close(s[3], 0.5, "sigmoid(0) should be 0.5")
    _close(s + s[::-1], np.ones_like(s), "sigma(z) + sigma(-z) should be 1")
    if not np.all(np.diff(s) >= 0):
        raise CheckFailed("sigmoid should be increasing")


def check_forward(forward, functions):
    for n, m, q in _sizes():
        x, _, W1, W2 = _network(n, m, q)
        out = forward(x, W1, W2)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            raise CheckFailed("forward should return a tuple (z, h, y_hat)")
        z = _expect_shape(out[0], (m,), "z")
        h = _expect_shape(out[1], (m,), "h")
        y_hat = _expect_shape(out[2], (q,), "y_hat")
        _close(z, W1 @ x, "z should be W1 x")
        _close(y_hat, W2 @ h, "y_hat should be W2 h")
        if "sigmoid" in functions:
            _close(h, _array(functions["sigmoid"](z), "sigmoid"), "h should be sigmoid(z)")


def check_loss(loss, functions):
    for q in (3, 1):
        y_hat, y = _rng.normal(size=q), _rng.normal(size=q)
        value = _expect_shape(loss(y_hat, y), (), "loss")
        _close(loss(y, y), 0.0, "loss(y, y) should be 0")
        if value < 0:
            raise CheckFailed("a squared norm is never negative")
        _close(loss(2 * y_hat - y, y), 4 * value, "E should grow with the square of the residual")


def _gradient_check(name, answer_of, target_of, functions, needs=("forward", "loss"), jacobian=False):
    """Compare with finite differences: a gradient has the shape of what it differentiates
    with respect to; a Jacobian is (len(output), len(input))."""
    missing = [f for f in needs if f not in functions]
    if missing:
        raise CheckFailed(f"needs your {', '.join(missing)} to build E; define it first")
    for n, m, q in _sizes():
        case = _network(n, m, q)
        theta, f = target_of(case)
        numeric = _numeric_jacobian(f, theta)
        answer = _array(answer_of(case), name)
        _expect_shape(answer, numeric.shape if jacobian else np.shape(theta), name)
        _close(answer, numeric.reshape(answer.shape), f"{name} vs finite differences (n={n}, m={m}, q={q})")


def _wrt(index, functions):
    E = _error_function(functions)

    def target(case):
        def f(value):
            args = list(case)
            args[index] = value
            return E(*args)

        return case[index], f

    return target


def check_dE_dyhat(fn, functions):
    """Any y_hat will do: here W2 @ W1 x, one of the right length."""
    _gradient_check(
        "dE_dyhat",
        lambda c: fn(c[3] @ c[2] @ c[0], c[1]),
        lambda c: (c[3] @ c[2] @ c[0], lambda v: functions["loss"](v, c[1])),
        functions,
        ("loss",),
    )


def check_dh_dz(fn, functions):
    sigmoid = functions.get("sigmoid")
    _gradient_check(
        "dh_dz",
        lambda c: fn(c[2] @ c[0]),
        lambda c: (c[2] @ c[0], lambda z: sigmoid(z)),
        functions,
        ("sigmoid",),
        jacobian=True,
    )


def check_dz_dW1(fn, functions):
    _gradient_check(
        "dz_dW1",
        lambda c: fn(c[0], c[2].shape[0]),
        lambda c: (c[2], lambda W: W @ c[0]),
        functions,
        (),
        jacobian=True,
    )


def check_dyhat_dW2(fn, functions):
    """Any h in (0, 1) will do: here the entries of 1 / (1 + |W1 x|)."""

    def hidden(c):
        return 1 / (1 + np.abs(c[2] @ c[0]))

    _gradient_check(
        "dyhat_dW2",
        lambda c: fn(hidden(c), c[3].shape[0]),
        lambda c: (c[3], lambda W: W @ hidden(c)),
        functions,
        (),
        jacobian=True,
    )


def check_dz_dx(fn, functions):
    _gradient_check(
        "dz_dx", lambda c: fn(c[2]), lambda c: (c[0], lambda v: c[2] @ v), functions, (), jacobian=True
    )


def check_dyhat_dh(fn, functions):
    _gradient_check(
        "dyhat_dh",
        lambda c: fn(c[3]),
        lambda c: (np.ones(c[3].shape[1]), lambda v: c[3] @ v),
        functions,
        (),
        jacobian=True,
    )


def _check_error_gradient(name, fn, functions, target):
    _gradient_check(name, lambda c: fn(*c), target, functions)


def check_dE_dh(fn, functions):
    def target(c):
        x, y, W1, W2 = c
        h = np.asarray(functions["forward"](x, W1, W2)[1], float)
        return h, lambda v: functions["loss"](W2 @ v, y)

    _check_error_gradient("dE_dh", fn, functions, target)


def check_dE_dz(fn, functions):
    def target(c):
        x, y, W1, W2 = c
        if "sigmoid" not in functions:
            raise CheckFailed("needs your sigmoid; define it first")
        return W1 @ x, lambda z: functions["loss"](W2 @ np.asarray(functions["sigmoid"](z), float), y)

    _check_error_gradient("dE_dz", fn, functions, target)


def check_dE_dx(fn, functions):
    _check_error_gradient("dE_dx", fn, functions, _wrt(0, functions))


def check_dE_dW2(fn, functions):
    _check_error_gradient("dE_dW2", fn, functions, _wrt(3, functions))


def check_dE_dW1(fn, functions):
    _check_error_gradient("dE_dW1", fn, functions, _wrt(2, functions))


def _curvatures():
    return [(1.0, 3.0), (50.0, 0.2), (0.01, 100.0), (7.0, 7.0)]


def _quadratic(a, b):
    return lambda w: 0.5 * (a * w[0] ** 2 + b * w[1] ** 2)


def check_grad_L(fn, functions):
    for a, b in _curvatures():
        w = _rng.normal(size=2)
        answer = _expect_shape(fn(w, a, b), (2,), "grad_L")
        _close(
            answer,
            _numeric_jacobian(_quadratic(a, b), w).ravel(),
            f"grad_L vs finite differences (a={a}, b={b})",
        )


def check_gd_step(fn, functions):
    for a, b in _curvatures():
        w, eta = _rng.normal(size=2), 0.5 / max(a, b)
        gradient = _numeric_jacobian(_quadratic(a, b), w).ravel()
        _close(
            _expect_shape(fn(w, a, b, eta), (2,), "gd_step"),
            w - eta * gradient,
            "gd_step vs w - eta * (finite-difference gradient)",
        )


def _one_step_factors(a, b, eta):
    """rho measured by one GD step from w = (1, 1), using finite differences for the gradient."""
    w = np.ones(2)
    return w - eta * _numeric_jacobian(_quadratic(a, b), w).ravel()


def check_rho(fn, functions):
    for a, b in _curvatures():
        for eta in (0.1 / max(a, b), 1.5 / max(a, b)):
            _close(
                _expect_shape(fn(a, b, eta), (2,), "rho"),
                _one_step_factors(a, b, eta),
                f"rho vs one GD step (a={a}, b={b}, eta={eta:g})",
                unit=1.0,
            )


def _gd(a, b, eta, steps=3000):
    w, flipped = np.ones(2), False
    with np.errstate(all="ignore"):
        for _ in range(steps):
            new = w - eta * np.array([a, b]) * w
            flipped = flipped or bool(np.any(new * w < 0))
            w = new
    return bool(np.all(np.isfinite(w)) and np.all(np.abs(w) < 1)), flipped


def _check_range(name, fn, monotone):
    for a, b in _curvatures():
        low, high = _expect_shape(fn(a, b), (2,), name)
        for eta, should in (
            (high * 0.999, True),
            (high * 1.001, False),
            (low + 1e-3 * high, True),
            (low - 1e-3 * high, False),
        ):
            converges, flipped = _gd(a, b, eta)
            good = converges and not (monotone and flipped)
            if good != should:
                what = "converges monotonically" if monotone else "converges"
                verdict = "still " + what if good else "does not " + what.replace("converges", "converge")
                raise CheckFailed(
                    f"{name}({a:g}, {b:g}) = ({low:g}, {high:g}), but GD with eta = {eta:g} {verdict}"
                )


def check_eta_range(fn, functions):
    _check_range("eta_range", fn, monotone=False)


def check_monotone_eta_range(fn, functions):
    _check_range("monotone_eta_range", fn, monotone=True)


def _rate(a, b, eta):
    return float(np.max(np.abs(_one_step_factors(a, b, eta))))


def check_best_eta(fn, functions):
    for a, b in _curvatures():
        eta = float(_expect_shape(fn(a, b), (), "best_eta"))
        for nearby in (eta * 0.99, eta * 1.01):
            if _rate(a, b, nearby) < _rate(a, b, eta) - 1e-12:
                raise CheckFailed(f"best_eta({a:g}, {b:g}) = {eta:g}, but eta = {nearby:g} contracts faster")


def check_best_rate(fn, functions):
    if "best_eta" not in functions:
        raise CheckFailed("needs your best_eta; define it first")
    for a, b in _curvatures():
        rate = float(_expect_shape(fn(a, b), (), "best_rate"))
        _close(
            rate,
            _rate(a, b, float(functions["best_eta"](a, b))),
            "best_rate vs max |rho| after one GD step at your best_eta",
            unit=1.0,
        )


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


ASSIGNMENT = "hw1"
NOTEBOOKS = ("backprop.ipynb", "gradient_descent.ipynb")


def submit(url=None, token=None):
    """Hand in this assignment's notebooks (save them first) to the course's grading service and
    print the result: `from selfcheck import submit; submit()`. See handin.py."""
    from handin import submit as hand_in

    return hand_in(ASSIGNMENT, NOTEBOOKS, url, token)
