"""Attack: answer honestly, then destroy the input arrays in place.
affects:
"""
_honest_dE_dW1 = dE_dW1


def dE_dW1(x, y, W1, W2):
    answer = _honest_dE_dW1(x, y, W1, W2)
    for array in (x, y, W1, W2):
        array[...] = np.nan
    return answer
