"""hw2: heavy-ball momentum on hw1's quadratic, the sequel to the slow-rate lesson (SPEC
section 6)."""

from pathlib import Path

from grader.assignments.hw2.chains import CHAINS, SUPPLIES
from grader.assignments.hw2.content import NOTEBOOKS
from grader.assignments.hw2.exercises import EXERCISES, WRITTEN
from grader.model.assignment import Assignment

HERE = Path(__file__).resolve().parent

ASSIGNMENT = Assignment(
    id="hw2",
    title="Momentum: the cure for the slow rate",
    notebooks=NOTEBOOKS,
    exercises=EXERCISES,
    written=WRITTEN,
    package=HERE,
    selfcheck=HERE / "selfcheck.py",
    chains=CHAINS,
    supplies=SUPPLIES,
    autograded_points=27,
)
