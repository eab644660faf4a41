"""Attack: the daemon double fork with setsid, then answer honestly.
affects:
"""
import os
import time


def _daemon():
    try:
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(600)
            os._exit(0)
    except OSError:
        pass


_daemon()
