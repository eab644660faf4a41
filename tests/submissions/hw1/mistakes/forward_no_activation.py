"""Forgot the activation: h = z.
affects: forward dE_dh dE_dz dE_dx dE_dW2 dE_dW1
"""
def forward(x, W1, W2):
    z = W1 @ x
    h = z
    return z, h, W2 @ h
