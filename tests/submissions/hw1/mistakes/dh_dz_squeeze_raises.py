"""np.diag of a squeezed vector: for m = 1 the vector becomes a 0-d array and np.diag raises.
affects: dh_dz dE_dz dE_dx dE_dW1
"""
def dh_dz(z):
    s = sigmoid(np.asarray(z).squeeze())
    return np.diag(s * (1 - s))
