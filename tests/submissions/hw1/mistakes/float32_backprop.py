"""The whole backward pass computed in float32 (single precision): about 7 significant digits,
so every gradient goes wrong at once, and the likely mistake is named.
affects: dE_dh dE_dz dE_dx dE_dW2 dE_dW1
"""
_f32 = np.float32


def dE_dh(x, y, W1, W2):
    x, y, W1, W2 = (np.asarray(v, dtype=_f32) for v in (x, y, W1, W2))
    h = (1 / (1 + np.exp(-(W1 @ x)))).astype(_f32)
    return (_f32(2) * (W2 @ h - y)) @ W2


def dE_dz(x, y, W1, W2):
    x, W1 = np.asarray(x, dtype=_f32), np.asarray(W1, dtype=_f32)
    s = (1 / (1 + np.exp(-(W1 @ x)))).astype(_f32)
    return dE_dh(x, y, W1, W2) * s * (_f32(1) - s)


def dE_dx(x, y, W1, W2):
    return dE_dz(x, y, W1, W2) @ np.asarray(W1, dtype=_f32)


def dE_dW2(x, y, W1, W2):
    x, y, W1, W2 = (np.asarray(v, dtype=_f32) for v in (x, y, W1, W2))
    h = (1 / (1 + np.exp(-(W1 @ x)))).astype(_f32)
    return np.outer(_f32(2) * (W2 @ h - y), h)


def dE_dW1(x, y, W1, W2):
    return np.outer(dE_dz(x, y, W1, W2), np.asarray(x, dtype=_f32))
