"""Runs inside the sandbox worker, after numpy is imported and before any student code: the
process confines itself, layer by layer. Stdlib and ctypes only (plus pyseccomp when it is
installed); the worker executes this file's source with CONFIG set by
grader/sandbox/harden.py. LAYERS records which layers took effect, for `grader doctor`.

0. quota: where the worker has a mount namespace of its own, its private folder becomes a
   size-limited tmpfs (the submission's files copied in), so all it writes together is capped.
1. rlimits: CPU, address space, file size, open files, no core dumps.
2. no_new_privs, then Landlock: read-only access to the Python runtime and its packages,
   read-write access to the private working directory only, no TCP bind/connect, no signals
   or abstract unix sockets outside the sandbox.
3. All capabilities dropped (root keeps uid 0 but can no longer raise limits or bypass
   file permissions).
4. seccomp: no new processes (fork, clone without CLONE_THREAD, exec), no sockets, no
   ptrace, no namespaces or mounts, no raising limits, no io_uring, no kernel keyrings, and
   no changes to any file's metadata (chmod, chown, timestamps, xattrs, hard links), which
   Landlock does not cover.
"""

import contextlib
import ctypes
import os
import resource
import signal

CONFIG: dict = globals().get("CONFIG", {})
LAYERS: dict = {}

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24


MS_NOSUID, MS_NODEV = 2, 4


def _files_below(folder):
    found = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = handle.read()
    return found


def mount_quota(config):
    """Mount a tmpfs of config["disk_bytes"] over the private folder (the current directory) and
    put the submission's files back into it. Only inside a mount namespace of the worker's own:
    elsewhere a mount would be seen by the whole machine."""
    if not config.get("mount_namespace"):
        raise RuntimeError("no mount namespace of its own (unshare unavailable)")
    folder = os.getcwd()
    files = _files_below(folder)
    options = f"size={int(config['disk_bytes'])},mode=0700".encode()
    _libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
    if _libc.mount(b"tmpfs", folder.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        raise OSError(ctypes.get_errno(), "mount tmpfs")
    os.chdir(folder)  # the new file system, not the folder it covers
    for relative, data in files.items():
        os.makedirs(os.path.dirname(relative) or ".", exist_ok=True)
        with open(relative, "wb") as handle:
            handle.write(data)
    return int(config["disk_bytes"])


def set_limits(config):
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
    return True


# --- Landlock (linux/landlock.h); the three syscalls have the same numbers on every arch ---
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_READ = (1 << 2) | (1 << 3)  # READ_FILE | READ_DIR
_FILE_RIGHTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)
_NET_TCP = (1 << 0) | (1 << 1)  # BIND_TCP | CONNECT_TCP
_SCOPES = (1 << 0) | (1 << 1)  # ABSTRACT_UNIX_SOCKET | SIGNAL


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi():
    abi = _libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return abi if abi > 0 else 0


def _fs_rights(abi):
    return _FS_RIGHTS_BY_ABI[max(k for k in _FS_RIGHTS_BY_ABI if k <= abi)]


def _allow(ruleset, path, rights):
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not os.path.isdir(path):
            rights &= _FILE_RIGHTS
        rule = _PathBeneath(rights, fd)
        if _libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
    finally:
        os.close(fd)


def apply_landlock(config):
    """Returns the ABI version in force, or 0 when the kernel has no Landlock."""
    abi = landlock_abi()
    if abi <= 0:
        return 0
    fs = _fs_rights(abi)
    attr = _RulesetAttr(fs, _NET_TCP if abi >= 4 else 0, _SCOPES if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        for path in config["read_paths"]:
            _allow(ruleset, path, _READ & fs)
        for path in config["write_paths"]:
            _allow(ruleset, path, fs)
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS)")
        if _libc.syscall(_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


# --- capabilities ---
class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_capabilities():
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:
            break  # EINVAL: past the last capability this kernel knows
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    if _libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    return True


# --- seccomp ---
_DENIED = (
    "fork",
    "vfork",
    "execve",
    "execveat",
    "socket",
    "socketpair",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "setrlimit",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "kexec_load",
    "init_module",
    "finit_module",
    "delete_module",
    "open_by_handle_at",
    "name_to_handle_at",
    "setsid",
    "setpgid",
    "kcmp",
    "pidfd_open",
    "pidfd_getfd",
    # Landlock does not cover metadata: as the files' owner, root could still chmod, touch or
    # tag the instructor's files even without capabilities.
    "chmod",
    "fchmod",
    "fchmodat",
    "fchmodat2",
    "chown",
    "fchown",
    "lchown",
    "fchownat",
    "utime",
    "utimes",
    "futimesat",
    "utimensat",
    "setxattr",
    "lsetxattr",
    "fsetxattr",
    "removexattr",
    "lremovexattr",
    "fremovexattr",
    "link",
    "linkat",
    "acct",
    "swapon",
    "swapoff",
    "reboot",
    "sethostname",
    "setdomainname",
)
CLONE_THREAD = 0x00010000


def _import_pyseccomp(libraries):
    """pyseccomp looks its libraries up with ctypes.util.find_library, which runs ldconfig in a
    subprocess; the grader has already resolved them, so no process is started here."""
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: libraries.get(name) or original(name)
    try:
        import pyseccomp
    finally:
        ctypes.util.find_library = original
    return pyseccomp


def apply_seccomp(config):
    try:
        seccomp = _import_pyseccomp(config.get("libraries", {}))
    except ImportError as exc:
        raise RuntimeError("pyseccomp is not installed") from exc
    deny = seccomp.ERRNO(1)  # EPERM
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in _DENIED:
        with contextlib.suppress(OSError, ValueError, RuntimeError):  # absent on this architecture
            rules.add_rule(deny, name)
    rules.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    rules.add_rule(seccomp.ERRNO(38), "clone3")  # ENOSYS: the C library falls back to clone
    rules.add_rule(deny, "prlimit64", seccomp.Arg(2, seccomp.NE, 0))
    rules.add_rule(deny, "kill", seccomp.Arg(0, seccomp.NE, os.getpid()))
    rules.load()
    return True


def _layer(name, apply, *args):
    try:
        LAYERS[name] = apply(*args)
    except Exception as exc:  # noqa: BLE001 - record why a layer is missing, go on with the rest
        LAYERS[name] = False
        LAYERS[name + "_error"] = f"{type(exc).__name__}: {exc}"[:200]


_layer("quota", mount_quota, CONFIG)
_layer("rlimits", set_limits, CONFIG)
_layer("landlock", apply_landlock, CONFIG)
_layer("capabilities", drop_capabilities)
_layer("seccomp", apply_seccomp, CONFIG)
