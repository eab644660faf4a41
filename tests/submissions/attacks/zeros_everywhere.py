"""Attack: zeros for every chained gradient and for the functions they build on, hoping that
zeros downstream count as consistent with zeros upstream under --carry-forward.
affects: dE_dyhat dyhat_dh dh_dz dz_dx dz_dW1 dyhat_dW2 dE_dh dE_dz dE_dx dE_dW2 dE_dW1
"""


def dE_dyhat(y_hat, y):
    return np.zeros(np.size(y))


def dyhat_dh(W2):
    return np.zeros(np.shape(W2))


def dh_dz(z):
    return np.zeros((np.size(z), np.size(z)))


def dz_dx(W1):
    return np.zeros(np.shape(W1))


def dz_dW1(x, m):
    return np.zeros((m, m * np.size(x)))


def dyhat_dW2(h, q):
    return np.zeros((q, q * np.size(h)))


def dE_dh(x, y, W1, W2):
    return np.zeros(np.shape(W1)[0])


def dE_dz(x, y, W1, W2):
    return np.zeros(np.shape(W1)[0])


def dE_dx(x, y, W1, W2):
    return np.zeros(np.size(x))


def dE_dW2(x, y, W1, W2):
    return np.zeros(np.shape(W2))


def dE_dW1(x, y, W1, W2):
    return np.zeros(np.shape(W1))
