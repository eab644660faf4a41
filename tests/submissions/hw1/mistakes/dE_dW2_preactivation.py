"""Used z where h belongs in dE/dW2.
affects: dE_dW2
"""
def dE_dW2(x, y, W1, W2):
    z, _, y_hat = forward(x, W1, W2)
    return np.outer(dE_dyhat(y_hat, y), z)
