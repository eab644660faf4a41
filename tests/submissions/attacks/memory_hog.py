"""Attack: allocate and touch 8 GB.
affects: dE_dx
"""
def dE_dx(x, y, W1, W2):
    hog = np.ones(10**9)
    return hog[: len(x)]
