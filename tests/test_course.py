"""The nbgrader course checks (grader/frontends/course.py): reading nbgrader's per-exercise export,
finding disagreements with `grader grade`, and finding leaked cases in feedback pages."""

import numpy as np

from grader.frontends.course import disagreements, leaks, merge, read_export, secret_numbers

HEADER = "student,assignment,notebook,grade_id,score,max_score,needs_manual_grade\n"


def test_export_rows_become_scores_and_disagreements_are_named(tmp_path):
    export = tmp_path / "grades.csv"
    export.write_text(
        HEADER + "ada,hw1,backprop,test-loss,2.0,2.0,False\n"
        "ada,hw1,backprop,backprop_written,0,4,True\nbob,hw1,backprop,test-loss,1.0,2.0,False\n"
    )
    scores = read_export(export)
    assert scores == {("ada", "loss"): 2.0, ("bob", "loss"): 1.0}
    assert disagreements(scores, {("ada", "loss"): 2.0, ("bob", "loss"): 1.0}) == []
    problems = disagreements(scores, {("ada", "loss"): 2.0, ("bob", "loss"): 0.0, ("cy", "loss"): 0.0})
    assert problems == ["bob loss: nbgrader 1.0, grader 0.0", "cy loss: nbgrader None, grader 0.0"]


def test_merge_keeps_one_header(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HEADER + "ada,hw1,backprop,test-loss,2.0,2.0,False\n")
    b.write_text(HEADER + "bob,hw1,backprop,test-loss,1.0,2.0,False\n")
    merge(tmp_path / "all.csv", [a, b])
    assert read_export(tmp_path / "all.csv") == {("ada", "loss"): 2.0, ("bob", "loss"): 1.0}


def test_a_leaked_random_case_is_found_and_plain_feedback_passes(core, tmp_path):
    secret = next(iter(sorted(secret_numbers(core, ("hw1",)))))
    (tmp_path / "clean.html").write_text("<pre>Smallest failing case: loss(y_hat = [0.], y = [1.])</pre>")
    assert leaks(tmp_path, core) == []
    (tmp_path / "leaky.html").write_text(f"<pre>x = [{float(secret)!r}]</pre>")
    found = leaks(tmp_path, core)
    assert len(found) == 1 and "leaky.html" in found[0]
    assert np.isfinite(float(secret))


def test_nbgrader_result_cache_key_changes_with_the_reference(tmp_path, monkeypatch):
    from grader.frontends.nbgrader_cell import _key

    solutions = tmp_path / "solutions"
    solutions.mkdir()
    for name in ("backprop.py", "gradient_descent.py"):
        (solutions / name).write_text("# reference\n")
    monkeypatch.setenv("GRADER_SOLUTIONS", str(solutions))
    folder = tmp_path / "sub"
    folder.mkdir()
    first = _key(folder)
    assert _key(folder) == first
    (solutions / "backprop.py").write_text("# a fixed reference\n")
    assert _key(folder) != first
