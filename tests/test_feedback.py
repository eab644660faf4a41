"""What students read: the named mistake, the smallest failing case, the evidence."""

from conftest import SUBMISSIONS, by_id, mistake_source


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
