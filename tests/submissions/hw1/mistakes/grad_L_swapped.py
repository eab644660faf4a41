"""Paired a with w2 and b with w1.
affects: grad_L gd_step
"""
def grad_L(w, a, b):
    return np.array([b * w[0], a * w[1]])
