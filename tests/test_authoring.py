"""The released notebooks: generated from one source, one markdown + stub + self-check per
function, no solutions, and self-checks that pass the reference and catch mistakes."""

import json

import pytest

from conftest import ASSIGNMENTS, SUBMISSIONS
from grader.authoring.build import COURSE, generate_release, nbgrader_command, reference_bodies, render_source
from grader.registry import EXERCISES, NOTEBOOKS
from grader.student import selfcheck
from solutions import backprop, gradient_descent

SOURCE = COURSE / "source" / "hw1"


def test_committed_source_notebooks_equal_the_generated_ones():
    for name, text in render_source().items():
        assert (SOURCE / name).read_text() == text, f"course/source/hw1/{name} is stale: run the build"


def test_solution_regions_are_the_reference_bodies():
    for notebook in NOTEBOOKS:
        cells = json.loads((SOURCE / f"{notebook}.ipynb").read_text())["cells"]
        text = "".join("".join(c["source"]) for c in cells)
        for name, body in reference_bodies(notebook).items():
            assert f"### BEGIN SOLUTION\n{body}\n    ### END SOLUTION" in text, name


@pytest.mark.skipif(nbgrader_command() is None, reason="nbgrader comes with the [test] extra")
def test_nbgrader_generate_assignment_makes_exactly_the_released_notebooks():
    released = generate_release(SOURCE)
    assert sorted(released) == sorted(p.name for p in ASSIGNMENTS.iterdir())
    for name, text in released.items():
        assert (ASSIGNMENTS / name).read_text() == text, f"assignments/{name} differs from nbgrader's release"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_each_function_has_math_a_stub_and_a_self_check(notebook):
    cells = json.loads((ASSIGNMENTS / f"{notebook}.ipynb").read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    for exercise in (e for e in EXERCISES if e.notebook == notebook):
        stub = next(i for i, s in enumerate(sources) if s.startswith(f"def {exercise.name}("))
        assert cells[stub - 1]["cell_type"] == "markdown" and "$" in sources[stub - 1]
        assert "raise NotImplementedError()" in sources[stub]
        assert sources[stub + 1] == f'check("{exercise.name}", {exercise.name})'
        assert sources[stub + 2].endswith(f'autograde("{exercise.name}")')
        assert cells[stub + 2]["metadata"]["nbgrader"]["points"] == exercise.points
    assert "YOUR ANSWER HERE" in sources[-1] and cells[-1]["cell_type"] == "markdown"


def test_released_files_hold_no_solution():
    for path in ASSIGNMENTS.iterdir():
        text = path.read_text()
        assert "solutions" not in text.replace("no reference solution", "")
        assert "np.kron" not in text and "logaddexp" not in text


REFERENCE = {
    **{e.name: getattr(backprop, e.name, None) or getattr(gradient_descent, e.name) for e in EXERCISES}
}


@pytest.mark.parametrize("name", [e.name for e in EXERCISES])
def test_self_check_passes_the_reference(name):
    passed, message = selfcheck.run(name, REFERENCE[name], REFERENCE)
    assert passed, message


@pytest.mark.parametrize(
    "mistake",
    [
        "dh_dz_sigma",
        "dE_dyhat_missing_two",
        "dz_dW1_column_major",
        "eta_range_monotone_bound",
        "rho_ascent",
        "dE_dW1_transposed",
        "sigmoid_overflow",
        "monotone_range_stability_bound",
    ],
)
def test_self_check_catches_typical_mistakes(mistake):
    namespace = {}
    exec(
        (SUBMISSIONS / "base.py").read_text() + (SUBMISSIONS / "mistakes" / f"{mistake}.py").read_text(),
        namespace,
    )
    functions = {e.name: namespace[e.name] for e in EXERCISES}
    failed = [name for name in functions if not selfcheck.run(name, functions[name], functions)[0]]
    assert failed, f"the self-check missed {mistake}"
