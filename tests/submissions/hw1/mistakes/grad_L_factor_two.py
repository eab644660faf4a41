"""Forgot that the 1/2 cancels the 2.
affects: grad_L gd_step
"""
def grad_L(w, a, b):
    return np.array([2 * a * w[0], 2 * b * w[1]])
