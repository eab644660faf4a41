"""Attack: when sigmoid is called, write a reply frame of 30 MB of empty lists straight to the
reply pipe (decoding that would take about 800 MB in the grader), then exit. The parent counts
the frame's values before decoding and refuses it.
affects: sigmoid
"""
import os as _os
import struct as _struct
import sys as _sys

_honest_sigmoid = sigmoid


def sigmoid(z):
    if _sys._getframe(1).f_code.co_name != "call_all":  # called by the student's own forward
        return _honest_sigmoid(z)
    payload = b'{"outcomes": [' + b"[]," * (10 << 20) + b"[]]}"
    header = _struct.pack(">Q", len(payload))
    reply = int(_sys.argv[2])  # the worker's reply pipe, as its command line names it
    view = memoryview(header + payload)
    while view:
        view = view[_os.write(reply, view) :]
    _os._exit(0)
