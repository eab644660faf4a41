"""sigma instead of sigma' on the diagonal.
affects: dh_dz dE_dz dE_dx dE_dW1
"""
def dh_dz(z):
    return np.diag(sigmoid(z))
