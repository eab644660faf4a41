"""Attack: raise its own memory limit (root may), then allocate.
affects: dE_dx
"""
import resource


def dE_dx(x, y, W1, W2):
    try:
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (OSError, ValueError):
        pass
    return np.ones(10**9)[: len(x)]
