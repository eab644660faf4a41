"""What students read: the named mistake, the smallest failing case, the evidence."""

import re

from conftest import HW1, SUBMISSIONS, by_id, mistake_source


def grade_mistake(grade_source, name):
    return by_id(grade_source(mistake_source(SUBMISSIONS / "mistakes" / f"{name}.py"), name))


def test_monotone_bound_given_for_stability_bound_is_named(grade_source):
    result = grade_mistake(grade_source, "eta_range_monotone_bound")["eta_range"]
    assert result.status == "partial" and result.score == 2.0
    assert "monotone bound" in result.feedback and "not the stability bound" in result.feedback
    assert "still converges: your upper bound is too small" in result.feedback


def test_stability_bound_given_for_monotone_bound_is_named(grade_source):
    result = grade_mistake(grade_source, "monotone_range_stability_bound")["monotone_eta_range"]
    assert "stability bound" in result.feedback and "monotone" in result.feedback
    assert "converges, with a sign change: your upper bound lets in step sizes that fail" in result.feedback


def test_smallest_failing_case_is_shrunk_and_shown(grade_source):
    feedback = grade_mistake(grade_source, "dE_dyhat_missing_two")["dE_dyhat"].feedback
    assert "Smallest failing case (shrunk by Hypothesis): dE_dyhat(y_hat = [" in feedback
    assert "dropped the factor 2" in feedback
    assert "Centred finite differences of E with respect to y_hat disagree" in feedback


def test_edge_case_only_failures_get_half_credit_and_say_so(grade_source):
    result = grade_mistake(grade_source, "dE_dW1_squeeze")["dE_dW1"]
    assert result.status == "partial" and result.score == 4.0
    assert "edge cases (a dimension equal to 1)" in result.feedback
    assert "lost a dimension of length 1" in result.feedback


def test_carried_errors_point_to_the_earlier_function(grade_source):
    result = grade_mistake(grade_source, "dh_dz_sigma")
    assert "sigma(z) where its derivative" in result["dh_dz"].feedback
    assert "Your dE_dz is consistent with your dh_dz" in result["dE_dz"].feedback
    assert result["dE_dz"].mistake == "carried_forward"


def test_expected_values_are_not_revealed_by_default(grade_source):
    feedback = grade_mistake(grade_source, "loss_half")["loss"].feedback
    assert "expected shape ()" in feedback and "expected:" not in feedback


def test_shape_mistakes_are_named_with_a_key():
    from grader.explain.diagnose import shape_mistake

    assert shape_mistake((2, 3), (3, 2))[0] == "transposed"
    assert shape_mistake((3, 3), (3,))[0] == "diagonal_as_vector"
    assert shape_mistake((1, 4), (4,))[0] == "squeezed"
    assert shape_mistake((4,), (4, 1))[0] == "extra_dimension"
    assert shape_mistake((2, 6), (3, 4))[0] == "reshaped"
    assert shape_mistake((2, 3), (2, 3)) is None and shape_mistake((2,), (5,)) is None


def test_a_hard_coded_answer_is_named(grade_source):
    result = grade_mistake(grade_source, "hardcoded_example")["dz_dx"]
    assert result.mistake == "hard_coded" and "looks hard-coded" in result.feedback


def test_an_answer_that_varies_where_it_is_right_is_not_called_hard_coded(grade_source):
    result = grade_mistake(grade_source, "eta_range_capped")["eta_range"]
    assert result.mistake != "hard_coded" and "hard-coded" not in result.feedback


def test_a_zero_from_a_cut_off_is_not_called_truncated(grade_source):
    source = (
        (SUBMISSIONS / "base.py")
        .read_text()
        .replace(
            "def loss(y_hat, y):\n    return float(np.sum((y_hat - y) ** 2))",
            "def loss(y_hat, y):\n    e = float(np.sum((y_hat - y) ** 2))\n    return e if e > 1e-3 else 0.0",
        )
    )
    result = by_id(grade_source(source, "cutoff"))["loss"]
    assert result.status != "passed", "the cut-off must be caught"
    assert result.mistake != "truncated" and "truncated" not in result.feedback


def test_finite_differences_never_agree_with_an_answer_that_failed(grade_source):
    source = (SUBMISSIONS / "base.py").read_text() + (
        "\n\ndef dE_dyhat(y_hat, y):\n    return 2 * (y_hat - y) * (1 + 1e-6)\n"
    )
    result = by_id(grade_source(source, "tiny_error"))["dE_dyhat"]
    assert result.status == "failed"
    assert "agree with your answer" not in result.feedback
    assert "cannot see this error" in result.feedback


def test_edges_are_named_for_where_it_fails_not_as_a_cause(grade_source):
    sigmoid = grade_mistake(grade_source, "sigmoid_snaps_at_10")["sigmoid"]
    assert "stability" not in sigmoid.feedback
    from grader.explain.feedback import summary
    from grader.judge.checks import CaseCheck, Verdict

    exercise = HW1.by_name["dE_dW1"]
    edge = (True,) * 10 + (False,) * 10
    few = [CaseCheck(Verdict.FAIL if i == 0 else Verdict.PASS, (i != 0,)) for i in range(20)]
    most = [CaseCheck(Verdict.FAIL if i < 8 else Verdict.PASS, (i >= 8,)) for i in range(20)]
    assert "edge cases" not in summary(exercise, few, 20, edge), "1 of 10 edge cases is no pattern"
    assert "all of them edge cases (a dimension equal to 1)" in summary(exercise, most, 20, edge)


def test_float32_arithmetic_is_named(grade_source):
    result = grade_mistake(grade_source, "float32_backprop")["dE_dh"]
    assert result.mistake == "single_precision" and "float32" in result.feedback


def test_a_lower_bound_that_is_too_large_gets_run_evidence(grade_source):
    result = grade_mistake(grade_source, "eta_range_lower_too_large")["eta_range"]
    assert (
        "just outside your lower bound" in result.feedback and "lower bound is too large" in result.feedback
    )


def test_default_feedback_never_gives_the_exact_error_back(grade_source):
    """--reveal shapes shows the student's answer; with the exact relative error beside it the
    expected value could be solved back, so only its order of magnitude is shown."""
    feedback = grade_mistake(grade_source, "best_eta_stability_bound")["best_eta"].feedback
    assert "relative error about 1e" in feedback
    assert not re.search(r"relative error \d\.\d", feedback)


def test_common_mistakes_are_named(grade_source):
    assert grade_mistake(grade_source, "rho_sign_flipped")["rho"].mistake == "sign_flipped"
    assert grade_mistake(grade_source, "dE_dh_residual_sum")["dE_dh"].mistake == "residual_sum"
    squeezed = grade_mistake(grade_source, "dh_dz_squeeze_raises")["dh_dz"]
    assert squeezed.mistake == "squeezed" and "only when a dimension is 1" in squeezed.feedback


def test_the_four_runs_of_step_size_evidence_are_one_batch_with_the_same_verdicts():
    """GD just inside and just outside both bounds runs once, batched, and says what four
    separate runs say (rows of a batch never mix)."""
    from dataclasses import replace

    import numpy as np

    from grader.explain.feedback import step_size_evidence
    from grader.judge.checks import CaseCheck, Verdict

    exercise = HW1.by_name["eta_range"]
    bound = exercise.step_size_bound
    batches = []

    def counted(cases, eta):
        batches.append(len(eta))
        return bound.run(cases, eta)

    counting = replace(exercise, step_size_bound=replace(bound, run=counted))
    case = {"a": 3.0, "b": 0.5}
    for low, high in ((0.0, 2 / 3), (0.1, 0.5), (-0.2, 1.0), (0.0, 0.7)):
        answer = np.array([low, high])
        text = step_size_evidence(counting, case, CaseCheck(Verdict.FAIL, (False, False), "", answer))
        assert batches[-1] == 4
        one = [bool(bound.run([case], np.array([eta])).converges[0]) for eta in (high * 0.999, high * 1.001)]
        if not one[0]:
            assert "just inside your upper bound" in text
        elif one[1]:
            assert "just outside your upper bound" in text
        else:
            assert "upper bound" not in text
    assert len(batches) == 4
