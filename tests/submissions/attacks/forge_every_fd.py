"""Attack: write forged pickles and forged JSON results to every file descriptor at import.
affects: all
"""
import json
import os
import pickle
import struct

_fake = {"outcomes": [{"ok": {"shape": [], "v": [92.0]}}] * 100, "defined": ["loss"], "errors": [],
         "score": 92.0, "status": "passed"}
_json = json.dumps(_fake).encode()
for _fd in range(0, 64):
    for _blob in (struct.pack(">Q", len(_json)) + _json, pickle.dumps(_fake), b'{"score": 92}\n'):
        try:
            os.write(_fd, _blob)
        except OSError:
            pass
