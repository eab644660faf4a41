"""A plain GD step: the momentum term is missing.
affects: momentum_step
"""
def momentum_step(w, w_prev, a, b, eta, beta):
    w = np.asarray(w, dtype=float)
    return w - eta * np.array([a, b]) * w
