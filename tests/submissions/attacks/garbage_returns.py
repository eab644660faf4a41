"""Attack: garbage return types: None, a string, NaN, inf, complex, object arrays, ragged lists,
a generator and a huge array.
affects: loss dE_dW1 dE_dW2 dE_dx best_rate eta_range monotone_eta_range gd_step dyhat_dW2 best_eta
"""
def loss(y_hat, y):
    return "0.0"


def dE_dW1(x, y, W1, W2):
    return np.full_like(W1, np.nan)


def dE_dW2(x, y, W1, W2):
    return np.full((len(y), W1.shape[0]), np.inf)


def dE_dx(x, y, W1, W2):
    return np.zeros(len(x)) + 1j


def best_rate(a, b):
    return np.array([object()], dtype=object)


def eta_range(a, b):
    return [[0.0], [1.0, 2.0]]


def monotone_eta_range(a, b):
    return (v for v in (0.0, 1 / max(a, b)))


def gd_step(w, a, b, eta):
    return np.zeros(30_000_000)


def dyhat_dW2(h, q):
    return None


def best_eta(a, b):
    return {"eta": 2 / (a + b)}
