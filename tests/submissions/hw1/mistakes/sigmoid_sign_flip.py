"""sigma(z) written as 1 / (1 + exp(z)). dh_dz survives: sigma(-z) sigma(z) is symmetric.
affects: sigmoid forward dE_dh dE_dz dE_dx dE_dW2 dE_dW1
"""
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z <= 0, 1 / (1 + e), e / (1 + e))
