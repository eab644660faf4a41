"""Attack: start a detached process in a new session (setsid), then answer honestly.
affects:
"""
import subprocess

_original = best_rate


def best_rate(a, b):
    try:
        subprocess.Popen(["sleep", "600", "attack-survivor"], start_new_session=True)
    except OSError:
        pass
    try:
        subprocess.Popen(["/bin/sh", "-c", "exec -a attack-survivor sleep 600"], start_new_session=True)
    except OSError:
        pass
    return _original(a, b)
