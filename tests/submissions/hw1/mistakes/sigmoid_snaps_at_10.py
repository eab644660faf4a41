"""A sigmoid that snaps to 0 or 1 beyond |z| > 10, to "avoid overflow".
affects: sigmoid forward dh_dz dE_dh dE_dz dE_dx dE_dW2 dE_dW1
"""
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return np.where(z > 10, 1.0, np.where(z < -10, 0.0, s))
