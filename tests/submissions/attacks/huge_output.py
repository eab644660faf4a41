"""Attack: print 200 MB.
affects: loss
"""
_original_loss = loss


def loss(y_hat, y):
    chunk = "x" * (1 << 20)
    for _ in range(200):
        print(chunk)
    return _original_loss(y_hat, y)
