"""Applied sigma' to h instead of z.
affects: dE_dz dE_dx dE_dW1
"""
def dE_dz(x, y, W1, W2):
    _, h, _ = forward(x, W1, W2)
    return dE_dh(x, y, W1, W2) @ dh_dz(h)
