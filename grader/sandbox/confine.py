"""Runs inside the sandbox worker, after numpy is imported and before any student code: the
process confines itself. Self-contained (stdlib only): the worker executes this file's source
with CONFIG set by grader/sandbox/harden.py. Each layer reports whether it took effect.
"""

import resource
import signal

CONFIG: dict = globals().get("CONFIG", {})


def set_limits(config):
    """Lower soft and hard limits: CPU, address space, file size, open files, no core dumps."""
    for name, value in (
        ("RLIMIT_CPU", config["cpu_seconds"]),
        ("RLIMIT_AS", config["memory_bytes"]),
        ("RLIMIT_FSIZE", config["file_bytes"]),
        ("RLIMIT_NOFILE", config["open_files"]),
        ("RLIMIT_CORE", 0),
    ):
        resource.setrlimit(getattr(resource, name), (value, value))
    # A write past RLIMIT_FSIZE then fails with EFBIG instead of killing the worker.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


set_limits(CONFIG)
