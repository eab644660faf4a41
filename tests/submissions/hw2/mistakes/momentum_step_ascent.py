"""Uphill: + eta grad L.
affects: momentum_step
"""
def momentum_step(w, w_prev, a, b, eta, beta):
    w, w_prev = np.asarray(w, dtype=float), np.asarray(w_prev, dtype=float)
    return w + eta * np.array([a, b]) * w + beta * (w - w_prev)
