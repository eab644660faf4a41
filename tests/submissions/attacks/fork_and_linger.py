"""Attack: fork a child that outlives the grading, then answer honestly.
affects:
"""
import os
import time

_original_loss = loss


def loss(y_hat, y):
    try:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
    except OSError:
        pass
    return _original_loss(y_hat, y)
