"""Gradient ascent: + eta grad L.
affects: gd_step
"""
def gd_step(w, a, b, eta):
    return np.asarray(w) + eta * grad_L(w, a, b)
