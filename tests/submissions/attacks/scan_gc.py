"""Attack: look through every live object for the grader's reference functions or expected values.
affects: dE_dz dE_dx dE_dW1
"""
import gc


def dE_dz(x, y, W1, W2):
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") == "dE_dz" and obj is not dE_dz:
            try:
                return obj(x, y, W1, W2)
            except Exception:
                pass
        if isinstance(obj, dict) and "expected" in obj:
            return obj["expected"]
    return np.zeros(W1.shape[0])
