"""Attack: on every call of dz_dx, write a well-formed reply frame (and a tick) to every file
descriptor from 3 to 40: the grader must neither deadlock (both sides blocked writing a full
pipe) nor take a forged frame for the reply, nor blame another function.
affects: dz_dx dE_dx
"""
import json as _json
import os as _os
import struct as _struct

_forged = _json.dumps({"outcomes": [{"ok": {"shape": [1, 1], "v": [0.0]}}] * 50, "printed": 0}).encode()
_frame = _struct.pack(">Q", 1 << 63) + _struct.pack(">Q", len(_forged)) + _forged
_honest_dz_dx = dz_dx


def dz_dx(W1):
    for _fd in range(3, 41):
        try:
            _os.write(_fd, _frame)
        except OSError:
            pass
    return _honest_dz_dx(W1)
