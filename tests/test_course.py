"""The nbgrader course checks (grader/frontends/course.py): reading nbgrader's per-exercise export,
finding disagreements with `grader grade`, and finding leaked cases in feedback pages."""

from grader.frontends.course import disagreements, leaks, merge, secret_numbers

HEADER = "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score\n"


def test_disagreements_are_named_with_student_assignment_and_exercise():
    nbgrader = {("ada", "hw1", "loss"): 2.0, ("bob", "hw2", "momentum_rate"): 5.0}
    assert disagreements(nbgrader, dict(nbgrader)) == []
    cli = {("ada", "hw1", "loss"): 2.0, ("bob", "hw2", "momentum_rate"): 0.0, ("cy", "hw1", "loss"): 0.0}
    assert disagreements(nbgrader, cli) == [
        "bob hw2 momentum_rate: nbgrader 5.0, grader 0.0",
        "cy hw1 loss: nbgrader None, grader 0.0",
    ]


def test_merge_keeps_one_header(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HEADER + "hw1,,,ada,,,,92.0\n")
    b.write_text(HEADER + "hw1,,,bob,,,,54.0\n")
    merge(tmp_path / "all.csv", [a, b])
    assert (tmp_path / "all.csv").read_text().splitlines() == [
        HEADER.strip(),
        "hw1,,,ada,,,,92.0",
        "hw1,,,bob,,,,54.0",
    ]


def test_a_leaked_random_case_is_found_and_plain_feedback_passes(core, tmp_path):
    secret = next(iter(sorted(secret_numbers(core, ("hw1",)))))
    (tmp_path / "clean.html").write_text("<pre>Smallest failing case: loss(y_hat = [0.], y = [1.])</pre>")
    assert leaks(tmp_path, core) == []
    (tmp_path / "leaky.html").write_text(f"<pre>x = [{float(secret)!r}]</pre>")
    found = leaks(tmp_path, core)
    assert len(found) == 1 and "leaky.html" in found[0]


def test_the_page_templates_stylesheet_is_not_a_leak_but_the_body_is_searched(core, tmp_path):
    """nbconvert's head carries Bootstrap's `width:33.33333333%`, which printed to six digits is
    also a sigmoid case of hw1 at the default seed."""
    secret = next(iter(sorted(secret_numbers(core, ("hw1",)))))
    style = f"<html><head><style>.col{{width:{secret}%}}</style></head>"
    (tmp_path / "styled.html").write_text(style + "<body><pre>all correct</pre></body></html>")
    assert leaks(tmp_path, core) == []
    (tmp_path / "styled.html").write_text(style + f"<body><pre>x = {secret}</pre></body></html>")
    assert len(leaks(tmp_path, core)) == 1


def test_a_shrunk_case_and_the_answer_to_it_are_shown_on_purpose(core, tmp_path):
    secret = next(iter(sorted(secret_numbers(core, ("hw1",)))))
    shrunk = f"<pre>Smallest failing case (shrunk by Hypothesis): f(x = {secret})\n  your answer: {secret}\n"
    (tmp_path / "shrunk.html").write_text(shrunk + f"Your bound {secret} is too small.</pre>")
    assert leaks(tmp_path, core) == []
    unshrunk = f"<pre>A failing case (inputs rounded): f(x = {secret})</pre>"
    (tmp_path / "shrunk.html").write_text(unshrunk)
    assert len(leaks(tmp_path, core)) == 1


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
