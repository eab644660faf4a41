"""Attack: answer dE_dyhat rightly in the graded batch and with 10,000 numbers (the most an
answer may hold) on every later call, the shrink's probes among them, to flood the feedback.
affects: dE_dyhat
"""
import sys as _sys

_calls = [0]
_honest_dE_dyhat = dE_dyhat


def dE_dyhat(y_hat, y):
    if _sys._getframe(1).f_code.co_name != "call_all":  # called by the student's own gradients
        return _honest_dE_dyhat(y_hat, y)
    _calls[0] += 1
    if _calls[0] == 7:
        return _honest_dE_dyhat(y_hat, y) + 1.0  # one wrong answer, so the exercise is shrunk
    if _calls[0] > 200:
        return np.full(10_000, 1e300)
    return _honest_dE_dyhat(y_hat, y)
