"""Attack: search the whole filesystem, and the editable-install hints, for the reference.
affects: dE_dx
"""
import glob
import os


def _find_reference():
    hints = []
    for path in glob.glob("/**/site-packages/__editable__*", recursive=False) + glob.glob(
            os.path.join(os.path.dirname(np.__file__), "..", "__editable__*")):
        try:
            hints += [line for line in open(path).read().split("'") if line.startswith("/")]
        except OSError:
            pass
    for root in hints + ["/"]:
        for folder, _dirs, files in os.walk(root):
            if "backprop.py" in files and "solutions" in folder:
                try:
                    return open(os.path.join(folder, "backprop.py")).read()
                except OSError:
                    continue
    return None


def dE_dx(x, y, W1, W2):
    source = _find_reference()
    if source is None:
        return np.zeros(len(x))
    namespace = {}
    exec(source, namespace)
    return namespace["dE_dx"](x, y, W1, W2)
