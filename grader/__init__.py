"""A sandboxed, Hypothesis-driven grader for the backpropagation and gradient-descent homework."""

__version__ = "0.1.0"
