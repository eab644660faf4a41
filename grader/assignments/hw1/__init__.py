"""hw1: backpropagation through a two-layer sigmoid network, and the slow rate of gradient
descent on L = 0.5 (a w1^2 + b w2^2) (SPEC sections 1-3)."""

from pathlib import Path

from grader.assignments.hw1.chains import CHAINS, SUPPLIES
from grader.assignments.hw1.content import NOTEBOOKS
from grader.assignments.hw1.exercises import EXERCISES, WRITTEN
from grader.model.assignment import Assignment

HERE = Path(__file__).resolve().parent

ASSIGNMENT = Assignment(
    id="hw1",
    title="Backpropagation and the slow rate of gradient descent",
    notebooks=NOTEBOOKS,
    exercises=EXERCISES,
    written=WRITTEN,
    package=HERE,
    selfcheck=HERE / "selfcheck.py",
    chains=CHAINS,
    supplies=SUPPLIES,
    autograded_points=92,
)
