"""np.squeeze "to tidy up": drops the axis when m = 1 or n = 1.
affects: dE_dW1
"""
def dE_dW1(x, y, W1, W2):
    return np.squeeze(np.outer(dE_dz(x, y, W1, W2), x))
