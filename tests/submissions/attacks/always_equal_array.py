"""Attack: an ndarray subclass whose comparisons are always True, holding wrong values.
affects: dE_dW2 best_eta best_rate
"""
class Sneaky(np.ndarray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __lt__(self, other):
        return False

    __le__ = __ge__ = __eq__


def dE_dW2(x, y, W1, W2):
    return np.zeros((len(y), W1.shape[0])).view(Sneaky)


def best_eta(a, b):
    return np.array(0.0).view(Sneaky)
