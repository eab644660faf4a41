"""Attack on --carry-forward: dz_dx is wrong once (so it has lost its marks), and on every
input that is a network's W1 (recognised from forward's calls) it answers whatever makes a
garbage dE_dx look "consistent". The rebuild uses only answers graded in dz_dx's own batch,
which is sent before any network case is seen: nothing can be tailored, nothing is carried.
affects: dz_dx dE_dx
"""
_seen = {}
_honest_forward, _honest_dz_dx = forward, dz_dx


def forward(x, W1, W2):
    _seen[np.asarray(W1).tobytes()] = True
    return _honest_forward(x, W1, W2)


def dz_dx(W1):
    W1 = np.asarray(W1, dtype=float)
    if W1.tobytes() in _seen or W1.size == 1:
        return np.ones_like(W1)
    return _honest_dz_dx(W1)


def dE_dx(x, y, W1, W2):
    return dE_dz(x, y, W1, W2) @ np.ones_like(np.asarray(W1, dtype=float))
