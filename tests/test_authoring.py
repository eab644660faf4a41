"""The released notebooks: generated from one source, one markdown + stub + self-check per
function, no solutions, and self-checks that pass the reference and catch mistakes."""

import json

import pytest

from conftest import LIBRARY, RELEASED, SOLUTIONS
from grader import assignments
from grader.authoring.build import COURSE, generate_release, nbgrader_command, reference_bodies, render_source
from grader.plan.reference import load_reference
from grader.student.check import load_selfcheck

IDS = assignments.ids()
NOTEBOOKS = [(i, n) for i in IDS for n in assignments.get(i).notebook_names]
EXERCISES = [(i, e.name) for i in IDS for e in assignments.get(i).exercises]
TYPICAL_MISTAKES = {
    "hw1": [
        "dh_dz_sigma",
        "dE_dyhat_missing_two",
        "dz_dW1_column_major",
        "eta_range_monotone_bound",
        "rho_ascent",
        "dE_dW1_transposed",
        "sigmoid_overflow",
        "monotone_range_stability_bound",
    ],
    "hw2": [
        "momentum_step_no_momentum",
        "momentum_step_swapped_state",
        "momentum_matrix_beta_sign",
        "momentum_rate_real_part",
        "momentum_rate_gd_rate",
        "momentum_eta_range_gd_range",
        "momentum_eta_range_one_minus_beta",
        "best_momentum_beta_not_squared",
        "best_momentum_gd_eta",
        "best_momentum_rate_gd_rate",
        "best_momentum_rate_squared",
    ],
}


@pytest.mark.parametrize("assignment_id", IDS)
def test_committed_source_notebooks_equal_the_generated_ones(assignment_id):
    source = COURSE / "source" / assignment_id
    for name, text in render_source(assignments.get(assignment_id)).items():
        assert (source / name).read_text() == text, (
            f"course/source/{assignment_id}/{name} is stale: run the build"
        )


@pytest.mark.parametrize(("assignment_id", "notebook"), NOTEBOOKS)
def test_solution_regions_are_the_reference_bodies(assignment_id, notebook):
    cells = json.loads((COURSE / "source" / assignment_id / f"{notebook}.ipynb").read_text())["cells"]
    text = "".join("".join(c["source"]) for c in cells)
    bodies = reference_bodies(notebook)
    assert bodies
    for name, body in bodies.items():
        assert f"### BEGIN SOLUTION\n{body}\n    ### END SOLUTION" in text, name


@pytest.mark.slow  # a long guard; CI runs it (scripts/test.sh -m '')
@pytest.mark.skipif(nbgrader_command() is None, reason="nbgrader comes with the [test] extra")
@pytest.mark.parametrize("assignment_id", IDS)
def test_nbgrader_generate_assignment_makes_exactly_the_released_notebooks(assignment_id):
    released = generate_release(assignment_id, COURSE / "source" / assignment_id)
    folder = RELEASED / assignment_id
    assert sorted(released) == sorted(p.name for p in folder.iterdir())
    for name, text in released.items():
        assert (folder / name).read_text() == text, (
            f"assignments/{assignment_id}/{name} differs from nbgrader's release"
        )


@pytest.mark.parametrize(("assignment_id", "notebook"), NOTEBOOKS)
def test_each_function_has_math_a_stub_and_a_self_check(assignment_id, notebook):
    assignment = assignments.get(assignment_id)
    cells = json.loads((RELEASED / assignment_id / f"{notebook}.ipynb").read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    exercises = [e for e in assignment.exercises if e.notebook == notebook]
    assert exercises
    for exercise in exercises:
        stub = next(i for i, s in enumerate(sources) if s.startswith(f"def {exercise.name}("))
        assert cells[stub - 1]["cell_type"] == "markdown" and "$" in sources[stub - 1]
        assert "raise NotImplementedError()" in sources[stub]
        assert sources[stub + 1] == f'check("{exercise.name}", {exercise.name})'
        assert sources[stub + 2].endswith(f'autograde("{exercise.name}")')
        assert cells[stub + 2]["metadata"]["nbgrader"]["points"] == exercise.points
    assert "YOUR ANSWER HERE" in sources[-1] and cells[-1]["cell_type"] == "markdown"


@pytest.mark.parametrize("assignment_id", IDS)
def test_released_files_hold_no_solution(assignment_id):
    bodies = [b for n in assignments.get(assignment_id).notebook_names for b in reference_bodies(n).values()]
    for path in (RELEASED / assignment_id).iterdir():
        text = path.read_text()
        assert "solutions" not in text.replace("no reference solution", "")
        for body in bodies:
            lines = [line.strip() for line in body.splitlines() if len(line.strip()) > 25]
            assert not any(line in text for line in lines), f"{path} holds a line of the reference"


@pytest.mark.parametrize(("assignment_id", "name"), EXERCISES)
def test_self_check_passes_the_reference(assignment_id, name):
    assignment = assignments.get(assignment_id)
    reference = load_reference(assignment, SOLUTIONS).functions
    passed, message = load_selfcheck(assignment).run(name, reference[name], reference)
    assert passed, message


@pytest.mark.parametrize(
    ("assignment_id", "mistake"), [(i, m) for i, names in TYPICAL_MISTAKES.items() for m in names]
)
def test_self_check_catches_typical_mistakes(assignment_id, mistake):
    assignment = assignments.get(assignment_id)
    namespace: dict = {}
    library = LIBRARY / assignment_id
    exec((library / "base.py").read_text() + (library / "mistakes" / f"{mistake}.py").read_text(), namespace)
    functions = {e.name: namespace[e.name] for e in assignment.exercises}
    selfcheck = load_selfcheck(assignment)
    failed = [name for name in functions if not selfcheck.run(name, functions[name], functions)[0]]
    assert failed, f"the self-check missed {mistake}"


CORRECT = [
    (i, p) for i in IDS for p in [*sorted((LIBRARY / i / "correct").glob("*.py")), LIBRARY / i / "base.py"]
]


@pytest.mark.parametrize(("assignment_id", "path"), CORRECT, ids=lambda v: getattr(v, "stem", v))
def test_self_check_passes_every_correct_style(assignment_id, path):
    assignment = assignments.get(assignment_id)
    namespace: dict = {}
    exec(path.read_text(), namespace)
    functions = {e.name: namespace[e.name] for e in assignment.exercises}
    selfcheck = load_selfcheck(assignment)
    results = {name: selfcheck.run(name, functions[name], functions) for name in functions}
    failed = {name: message for name, (passed, message) in results.items() if not passed}
    assert not failed, failed


def test_the_build_command_has_help_and_names_an_unknown_assignment(capsys):
    from grader.authoring.build import main

    with pytest.raises(SystemExit) as asked:
        main(["--help"])
    assert asked.value.code == 0 and "released notebooks" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["hw9"])
    assert refused.value.code == 2 and "no assignment 'hw9'; known: hw1, hw2" in capsys.readouterr().err
