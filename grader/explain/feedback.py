"""The text a student reads for one exercise: what was checked, what went wrong on the
smallest failing case, the likely mistake and the evidence (finite differences, GD runs).

Reveal levels, set by the instructor: `none` shows counts and the named mistake only;
`shapes` (default) adds the failing input, the student's own answer and the expected shape;
`values` adds the expected values as well."""

from __future__ import annotations

import re
from collections import Counter
from enum import StrEnum

import numpy as np

from grader.explain.diagnose import HARD_CODED, SINGLE_PRECISION, shape_mistake
from grader.judge.checks import CaseCheck, Verdict
from grader.model.exercise import Answer, Case, Exercise, Misconception
from grader.numerics.calculus import central_differences, describe_run
from grader.numerics.tolerance import FD_RTOL, GD_MARGIN, fd_relative_error


class Reveal(StrEnum):
    NONE = "none"
    SHAPES = "shapes"
    VALUES = "values"


MAX_SHOWN = 64
"""Numbers of an answer shown in feedback; a larger one is shown by its first ones and its size."""


def show(value) -> str:
    """Exact, compact text for a number or array: every float printed to round-trip; a large
    array cut to its first entries (an answer can hold up to 10,000 numbers)."""
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ")"
    array = np.asarray(value)
    if array.ndim == 0:
        return repr(float(array)) if array.dtype.kind == "f" else repr(value)
    if array.size > MAX_SHOWN:
        first = np.array2string(array.ravel()[: MAX_SHOWN // 4], separator=", ", floatmode="unique")
        return f"{first[:-1]}, ...] ({array.size} numbers, shape {array.shape})".replace("\n", "")
    return np.array2string(
        array, separator=", ", floatmode="unique", max_line_width=10**6, threshold=10**6
    ).replace("\n", "")


def show_case(exercise: Exercise, case: Case, rounded: bool = False) -> str:
    """The case's arguments; `rounded` to 3 significant digits for a case that was not shrunk,
    so no graded random input is given away whole."""
    if not rounded:
        return ", ".join(f"{name} = {show(case[name])}" for name in exercise.args)
    parts = []
    for name in exercise.args:
        value = case[name]
        if isinstance(value, np.ndarray):
            text = np.array2string(
                value, separator=", ", max_line_width=10**6, formatter={"float_kind": lambda v: f"{v:.3g}"}
            ).replace("\n", "")
        else:
            text = f"{value:.3g}" if isinstance(value, float) else repr(value)
        parts.append(f"{name} = {text}")
    return ", ".join(parts)


def shapes(answer: Answer) -> str:
    if isinstance(answer, tuple):
        return "(" + ", ".join(str(np.shape(a)) for a in answer) + ")"
    return str(np.shape(answer))


def summary(exercise: Exercise, checks: list[CaseCheck], total: int, edge: tuple[bool, ...]) -> str:
    kinds = Counter(c.kind for c in checks)
    if kinds[Verdict.PASS] == total:
        return f"Correct on all {total} cases."
    lines = []
    if kinds[Verdict.TIMEOUT] or kinds[Verdict.CRASH]:
        reason = next(c.reason for c in checks if c.kind in (Verdict.TIMEOUT, Verdict.CRASH))
        lines.append(f"Stopped at case {len(checks)} of {total}: {reason}.")
    wrong = kinds[Verdict.FAIL]
    if wrong:
        failing_edges = [e for c, e in zip(checks, edge, strict=False) if c.kind is Verdict.FAIL]
        edges = sum(edge[: len(checks)])
        where = ""
        if exercise.is_edge and all(failing_edges) and len(failing_edges) * 2 >= edges:
            # the edge is named as where it fails only when it fails on most of them
            where = f", all of them edge cases ({exercise.edge_description})"
        lines.append(f"Wrong on {wrong} of {total} cases{where}.")
    if kinds[Verdict.ERROR]:
        common = Counter(c.reason for c in checks if c.kind is Verdict.ERROR).most_common(1)[0][0]
        lines.append(
            f"Raised an error or returned something unusable on {kinds[Verdict.ERROR]} of "
            f"{total} cases, e.g. {common}"
        )
    return " ".join(lines)


def mistake(
    misconception: Misconception | None,
    expected: Answer,
    check: CaseCheck,
    constant: bool = False,
    single: bool = False,
    edge_errors: tuple[str, str] | None = None,
) -> tuple[str | None, str]:
    """(key, sentence) of the likely mistake, or (None, ""): a catalogued misconception first,
    then an answer that never changes, float32 arithmetic, a shape error, and errors raised
    only where a dimension is 1."""
    if misconception is not None:
        return misconception.key, f"Likely mistake: you {misconception.description}. {misconception.hint}"
    for found, (key, text) in ((constant, HARD_CODED), (single, SINGLE_PRECISION)):
        if found:
            return key, f"Likely mistake: {text}"
    if check.answer is not None and not isinstance(expected, tuple):
        named = shape_mistake(np.shape(expected), np.shape(check.answer))
        if named:
            return named[0], f"Likely mistake: {named[1]}"
    if edge_errors:
        return edge_errors[0], f"Likely mistake: {edge_errors[1]}"
    return None, ""


def failing_case(
    exercise: Exercise, case: Case, expected: Answer, check: CaseCheck, reveal: Reveal, shrunk: bool
) -> list[str]:
    if reveal is Reveal.NONE:
        return []
    kind = "Smallest failing case (shrunk by Hypothesis)" if shrunk else "A failing case (inputs rounded)"
    lines = [f"{kind}: {exercise.name}({show_case(exercise, case, rounded=not shrunk)})"]
    if check.answer is not None:
        lines.append(f"  your answer:   {show(check.answer)}  shape {shapes(check.answer)}")
    if reveal is Reveal.VALUES:
        lines.append(f"  expected:      {show(expected)}  shape {shapes(expected)}")
        lines.append(f"  {check.reason}")
    else:  # the exact error and your answer would give the expected value away
        lines.append(f"  expected shape {shapes(expected)}")
        lines.append(
            f"  {RELATIVE_ERROR.sub(lambda m: 'relative error ' + about(float(m.group(1))), check.reason)}"
        )
    return lines


RELATIVE_ERROR = re.compile(r"relative error ([0-9.e+-]+|inf|nan)")


def about(error: float) -> str:
    """An error's order of magnitude only: "about 1e-2"."""
    if not np.isfinite(error) or error <= 0:
        return "beyond measure" if not np.isfinite(error) else "0"
    return f"about 1e{int(np.floor(np.log10(error) + 0.5))}"


def finite_difference_evidence(
    exercise: Exercise, case: Case, check: CaseCheck, reveal: Reveal = Reveal.VALUES
) -> str:
    if exercise.finite_difference is None or check.answer is None or isinstance(check.answer, tuple):
        return ""
    theta, f = exercise.finite_difference.target(case)
    numeric = central_differences(f, theta)
    answer = np.asarray(check.answer)
    if numeric.jacobian.size != answer.size:
        return (
            f"Centred differences of {exercise.finite_difference.of} have "
            f"{numeric.jacobian.size} entries; your answer has {answer.size}."
        )
    error = fd_relative_error(answer, numeric.jacobian, numeric.noise)
    shown = f"{error:.3g}" if reveal is Reveal.VALUES else about(error)
    if error <= FD_RTOL:  # the answer failed a far finer comparison than differences can make
        return (
            f"Centred finite differences of {exercise.finite_difference.of} cannot see this error: "
            f"they are accurate to about {FD_RTOL:g}, and your answer's error is smaller than that."
        )
    return (
        f"Centred finite differences of {exercise.finite_difference.of} disagree with your "
        f"answer (relative error {shown}; they are accurate to about {FD_RTOL:g})."
    )


def step_size_evidence(exercise: Exercise, case: Case, check: CaseCheck) -> str:
    """Run the iteration just inside and just outside each of the student's bounds on this case."""
    bound = exercise.step_size_bound
    if bound is None or check.answer is None or np.shape(check.answer) != (2,):
        return ""
    answer = np.asarray(check.answer)
    low, high = (float(v) for v in answer)
    wanted = "converges monotonically" if bound.monotone else "converges"
    step = GD_MARGIN * (abs(high) if high else 1.0)
    bounds = (("upper", high, high - step, high + step), ("lower", low, low + step, low - step))
    # the four runs (just inside and just outside each bound) in one batch: each row's
    # arithmetic is its own, so the same bits as four runs one at a time
    etas = np.array([eta for _, _, inside, outside in bounds for eta in (inside, outside)])
    runs = bound.run([case] * len(etas), etas)
    behaviours = []
    for converges, changes_sign in zip(runs.converges.tolist(), runs.changes_sign.tolist(), strict=True):
        ok = converges and (not bound.monotone or not changes_sign)
        behaviours.append((ok, describe_run(converges, changes_sign)))
    lines = []
    for k, (label, edge_value, inside, outside) in enumerate(bounds):
        (inside_ok, inside_text), (outside_ok, _) = behaviours[2 * k], behaviours[2 * k + 1]
        if not inside_ok:
            lines.append(
                f"{bound.method} with eta = {inside:.6g}, just inside your {label} bound {edge_value:.6g}, "
                f"{inside_text}: your {label} bound lets in step sizes that fail."
            )
        elif outside_ok:
            direction = "too small" if label == "upper" else "too large"
            lines.append(
                f"{bound.method} with eta = {outside:.6g}, just outside your {label} bound {edge_value:.6g}, "
                f"still {wanted}: your {label} bound is {direction}."
            )
    return " ".join(lines)


def rate_evidence(exercise: Exercise, case: Case, check: CaseCheck, reveal: Reveal) -> str:
    """What runs of the iteration show about a wrong rate, or about parameters that claim to be
    the best: the student's own parameters' rate, and a nearby choice that does better. The
    expected rate itself is shown only under `--reveal values`."""
    rate_check = exercise.rate_check
    if rate_check is None or check.answer is None or isinstance(check.answer, tuple):
        return ""
    answer = np.asarray(check.answer, dtype=np.float64)
    if not np.all(np.isfinite(answer)):
        return ""
    method = rate_check.method.capitalize()
    if rate_check.perturb is not None:
        if answer.shape != (2,):
            return ""
        mine = float(rate_check.observe([case], [answer])[0])
        shown = f"{method} at your (eta, beta) = ({answer[0]:.6g}, {answer[1]:.6g})"
        if not mine < 1.0:
            return f"{shown} does not converge."
        for nearby in rate_check.perturb(case, answer):
            if float(rate_check.observe([case], [nearby])[0]) < mine * (1 - 1e-3):
                return (
                    f"{shown} contracts the error by about {mine:.4g} per step, but "
                    f"({nearby[0]:.6g}, {nearby[1]:.6g}) contracts faster: yours is not the best choice."
                )
        return f"{shown} contracts the error by about {mine:.4g} per step."
    if answer.shape != ():
        return ""
    observed = float(rate_check.observe([case], [answer])[0])
    if reveal is Reveal.VALUES:
        return f"A run of {rate_check.method} here contracts the error by about {observed:.4g} per step."
    if abs(observed - float(answer)) <= 1e-2 * max(observed, abs(float(answer))):
        return ""
    pace = "faster" if observed < float(answer) else "more slowly"
    return f"In a run of {rate_check.method} here, the error shrinks {pace} than your rate says."


def carried_forward(exercise: Exercise, lost_marks: set[str], consistent: bool) -> str:
    earlier = [name for name in exercise.calls if name in lost_marks]
    if not earlier:
        return ""
    names = ", ".join(earlier)
    if consistent:
        return (
            f"Your {exercise.name} is consistent with your {names}: it is wrong only because "
            f"{names} is. Fix that first."
        )
    return (
        f"Your {names} also lost marks, and {exercise.name} usually builds on it: fix "
        f"{names} first; this exercise may then pass as well."
    )


def carried_forward_credit(exercise: Exercise, lost_marks: set[str]) -> str:
    names = ", ".join(name for name in exercise.calls if name in lost_marks)
    return (
        f"Full marks carried forward: your {exercise.name} is right given your own {names}, "
        f"which lost marks there."
    )
