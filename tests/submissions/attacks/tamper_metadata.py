"""Attack: knowing the neighbour's path, chmod it, touch it, hard-link it and set an xattr
(Landlock does not cover metadata; seccomp must).
affects:
"""
import os

NEIGHBOUR_PATH = ""  # the test puts the neighbour's absolute path here

for _tamper in (
    lambda: os.chmod(NEIGHBOUR_PATH, 0),
    lambda: os.utime(NEIGHBOUR_PATH, (0, 0)),
    lambda: os.link(NEIGHBOUR_PATH, "stolen.py"),
    lambda: os.setxattr(NEIGHBOUR_PATH, "user.pwned", b"1"),
    lambda: os.chmod(os.path.dirname(NEIGHBOUR_PATH), 0),
):
    try:
        _tamper()
    except OSError:
        pass
