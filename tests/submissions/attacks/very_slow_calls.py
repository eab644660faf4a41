"""Attack: every call takes just under the per-call limit, so the batch as a whole would take minutes.
affects: monotone_eta_range
"""
import time


def monotone_eta_range(a, b):
    time.sleep(1.9)
    return np.array([0.0, 1 / max(a, b)])
