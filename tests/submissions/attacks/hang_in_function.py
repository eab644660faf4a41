"""Attack: one function never returns, even ignoring the alarm.
affects: dE_dW1
"""
def dE_dW1(x, y, W1, W2):
    while True:
        try:
            while True:
                pass
        except BaseException:
            continue
