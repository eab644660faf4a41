"""Attack: write 8 MiB files in a loop at import (the per-file limit, again and again), to fill
the machine's disk. The sandbox's folder is a size-limited tmpfs: the writes stop there.
affects:
"""
import os as _os

_written = 0
for _i in range(200):
    try:
        with open(f"ballast-{_i}.bin", "wb") as _handle:
            _handle.write(b"\0" * ((8 << 20) - 1))
        _written += 1
    except OSError:
        break
