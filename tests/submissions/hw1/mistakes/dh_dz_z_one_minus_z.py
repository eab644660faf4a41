"""z (1 - z) instead of sigma(z) (1 - sigma(z)).
affects: dh_dz dE_dz dE_dx dE_dW1
"""
def dh_dz(z):
    return np.diag(z * (1 - z))
