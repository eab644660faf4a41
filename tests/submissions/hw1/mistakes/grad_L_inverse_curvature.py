"""Divided by the curvature: w / a instead of a w.
affects: grad_L gd_step
"""
def grad_L(w, a, b):
    return np.array([w[0] / a, w[1] / b])
