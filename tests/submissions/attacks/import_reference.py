"""Attack: import the reference solution and return its answers.
affects: dE_dW1 dE_dW2
"""
def dE_dW1(x, y, W1, W2):
    try:
        from solutions import backprop
        return backprop.dE_dW1(x, y, W1, W2)
    except Exception:
        return np.zeros_like(W1)


def dE_dW2(x, y, W1, W2):
    import importlib.util
    import sys
    for root in sys.path + ["/work/main", "/work", "/root", "/tmp", ".."]:
        try:
            spec = importlib.util.spec_from_file_location("ref", f"{root}/solutions/backprop.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.dE_dW2(x, y, W1, W2)
        except Exception:
            continue
    return np.zeros_like(W2)
