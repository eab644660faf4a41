"""The expected side computed once per plan (grader/judge/checks.py, Expected): its batched
verdicts must be exactly those of relative_error on one case at a time (the documented rule,
grader/numerics/tolerance.py), the figures in the reasons included, whatever mix of right,
wrong, non-finite, misshapen, empty and unanswered cases a batch holds, and whichever cases a
single-case check picks out."""

from __future__ import annotations

import numpy as np

from conftest import HW1
from grader.judge.checks import Expected, Verdict
from grader.numerics.tolerance import ALLOWANCE, FLOOR, RTOL, ExpectedSide
from grader.run.runner import OutcomeKind

DE_DW1 = HW1.by_name["dE_dW1"]


def _batch(seed: int):
    """Expected answers of assorted shapes (some empty), units, and outcomes of every kind."""
    rng = np.random.default_rng(seed)
    expected, units, outcomes = [], [], []
    for i in range(60):
        shape = (int(rng.integers(0, 4)), int(rng.integers(1, 4)))
        want = rng.normal(size=shape) * 10.0 ** rng.integers(-6, 6)
        if i % 17 == 3 and want.size:
            want.flat[0] = np.nan if i % 2 else np.inf
        unit = float(abs(rng.normal())) if i % 3 else np.abs(rng.normal(size=shape))
        got = want * (1 + rng.choice([0.0, 1e-9, 1e-7, 1e-4]) * rng.normal(size=shape))
        kind = i % 11
        if kind == 1:
            outcome = (OutcomeKind.ERROR, "ValueError: no")
        elif kind == 2:
            outcome = (OutcomeKind.OK, np.zeros((shape[0] + 1, shape[1])))
        elif kind == 3 and got.size:
            got.flat[-1] = rng.choice([np.nan, np.inf, -np.inf])
            outcome = (OutcomeKind.OK, got)
        else:
            outcome = (OutcomeKind.OK, got)
        expected.append(want)
        units.append(unit)
        outcomes.append(outcome)
    return expected, units, outcomes


def _rule(actual, expected, unit) -> float:
    """The rule of grader/numerics/tolerance.py's docstring, written out plainly for one pair."""
    a, e = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(e))):
        same = (a == e) | (np.isnan(a) & np.isnan(e))
        return 0.0 if bool(np.all(same)) else float("inf")
    terms = np.maximum(np.abs(np.broadcast_to(np.asarray(unit, dtype=np.float64), e.shape)), np.abs(e))
    denominator = np.maximum(np.abs(a) + np.abs(e), FLOOR * terms.max())
    difference = np.maximum(np.abs(a - e) - ALLOWANCE * terms, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.where(denominator > 0, difference / np.where(denominator > 0, denominator, 1), 0)
    return float(np.max(err))


def _one_at_a_time(expected, units, outcomes):
    """The rule applied case by case, with no precomputation."""
    verdicts = []
    for want, unit, (kind, value) in zip(expected, units, outcomes, strict=True):
        if kind != OutcomeKind.OK:
            verdicts.append((Verdict(kind), value))
        elif value.shape != want.shape:
            verdicts.append((Verdict.FAIL, f"shape {value.shape}, expected {want.shape}"))
        else:
            error = _rule(value, want, unit)
            reason = "" if error <= RTOL else f"relative error {error:.3g}, more than the tolerance {RTOL:g}"
            verdicts.append((Verdict.PASS if error <= RTOL else Verdict.FAIL, reason))
    return verdicts


def test_batched_verdicts_and_figures_equal_the_rule_case_by_case():
    for seed in range(5):
        expected, units, outcomes = _batch(seed)
        checks = Expected(DE_DW1, expected, units).check(outcomes)
        assert [(c.kind, c.reason) for c in checks] == _one_at_a_time(expected, units, outcomes), seed
        assert {c.kind for c in checks} >= {Verdict.PASS, Verdict.FAIL, Verdict.ERROR}


def test_a_batch_cut_short_and_single_cases_use_the_same_precomputed_side():
    expected, units, outcomes = _batch(7)
    side = Expected(DE_DW1, expected, units)
    whole = [(c.kind, c.reason) for c in side.check(outcomes)]
    assert [(c.kind, c.reason) for c in side.check(outcomes[:25])] == whole[:25]
    for index in range(len(outcomes)):
        [single] = side.check([outcomes[index]], [index])
        assert (single.kind, single.reason) == whole[index], index
    picked = [2, 5, 9, 40]
    assert [(c.kind, c.reason) for c in side.check([outcomes[i] for i in picked], picked)] == [
        whole[i] for i in picked
    ]


def test_expected_side_errors_are_bit_for_bit_those_of_one_pair():
    rng = np.random.default_rng(3)
    wants = [rng.normal(size=(3,)) * 10.0**k for k in range(-3, 4)] + [np.zeros(0), np.array([0.0, 1e-12])]
    units = [0.0, 1.0, np.array([1.0, 2.0, 3.0]), 0.5, 0.0, 2.0, 0.0, 0.0, 1.0]
    gots = [w * (1 + 1e-8 * rng.normal(size=w.shape)) for w in wants]
    side = ExpectedSide(wants, units)
    batch = side.errors(np.concatenate(gots, axis=None)).tolist()
    assert batch == [_rule(g, w, u) for g, w, u in zip(gots, wants, units, strict=True)]


def test_misconceptions_found_on_precomputed_variants_are_those_found_case_by_case(grader):
    """For every hw1 exercise with catalogued mistakes, answers made by each variant (and the
    reference's, and a variant's with one answer spoilt) name the same misconception whether
    the variants' answers are precomputed or computed case by case."""
    from grader.explain.diagnose import Variants, matching_misconception, misconception_on_plan
    from grader.judge.checks import CaseCheck
    from grader.plan.cases import as_answer

    named = 0
    for name, plan in grader.plan.items():
        exercise = plan.exercise
        if not exercise.misconceptions:
            continue
        variants = Variants(exercise, plan.cases)
        makers = [m.variant for m in exercise.misconceptions] + [grader.reference.functions[name]]
        for maker in makers:
            for spoil in (False, True, "mixed"):
                checks, failures, passes = [], [], []
                for i, case in enumerate(plan.cases[:40]):
                    try:
                        with np.errstate(all="ignore"):
                            answer = as_answer(exercise, maker(*exercise.call_args(case)))
                    except (ValueError, TypeError, IndexError, ZeroDivisionError, np.linalg.LinAlgError):
                        answer = None
                    if spoil is True and i == 7 and isinstance(answer, np.ndarray):
                        answer = answer + 1.0
                    if spoil == "mixed" and i >= 20:  # right here: contradicts the variant
                        answer = plan.expected[i]
                    check = Expected(exercise, [plan.expected[i]], [plan.units[i]]).check(
                        [(OutcomeKind.OK, answer) if answer is not None else (OutcomeKind.ERROR, "raised")]
                    )[0]
                    checks.append(check)
                    if check.wrong:
                        failures.append((case, check))
                    elif check.passed:
                        passes.append((case, check, plan.expected[i]))
                assert all(isinstance(c, CaseCheck) for c in checks)
                found = misconception_on_plan(exercise, variants, checks, plan.expected)
                assert found == matching_misconception(exercise, failures, passes), (name, maker, spoil)
                named += found is not None
    assert named >= 10
