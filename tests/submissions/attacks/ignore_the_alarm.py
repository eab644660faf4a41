"""Attack: ignore SIGALRM at import, so the in-sandbox per-call alarm never fires, then take 3 s
per call of best_rate: the parent still holds every call to its limit, from outside.
affects: best_rate
"""
import signal as _signal
import time as _time

_signal.signal(_signal.SIGALRM, _signal.SIG_IGN)
_honest_best_rate = best_rate


def best_rate(a, b):
    _start = _time.monotonic()
    while _time.monotonic() - _start < 3.0:
        pass
    return _honest_best_rate(a, b)
