"""Attack: print 200 MB per call. Printed output is counted and dropped, never kept: it changes
no score (the answers are right) and fills no disk.
affects:
"""
_original_loss = loss


def loss(y_hat, y):
    chunk = "x" * (1 << 20)
    for _ in range(200):
        print(chunk)
    return _original_loss(y_hat, y)
