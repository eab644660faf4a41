"""Attack: walk up the caller frames looking for expected answers or the reference.
affects: dE_dh dE_dz dE_dx dE_dW1
"""
import sys


def dE_dh(x, y, W1, W2):
    frame = sys._getframe(1)
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            for key in ("expected", "reference", "plan"):
                if key in scope and not callable(scope[key]):
                    return scope[key]
        frame = frame.f_back
    return np.zeros(W2.shape[1])
