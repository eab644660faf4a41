"""The zygote: a sandbox process that has imported numpy, the worker's code and pyseccomp, and
forks one child per submission. It runs as `python -I -S -B -c <this source>` (started like a
worker, grader/run/sandbox/zygote.py) and imports nothing from the grader: it never sees a
student's files or code, the reference or expected values. It reads only small JSON requests
on the control socket named by argv[1]; a "fork" request carries the two pipe ends of one
sandbox (SCM_RIGHTS), which it hands to the child and closes at once.

Each child, before it reads a byte of the request pipe, makes its own network and mount
namespaces (PID 1 of a PID namespace the zygote made for it alone), mounts a /proc of that
namespace, reseeds the random generators, takes its environment, and then runs the worker
(grader/run/sandbox/worker.py), which confines itself exactly as a fresh worker does. A child
serves one submission, is never reused and cannot fork (seccomp). Stdlib, ctypes and numpy only.
"""

import contextlib
import ctypes
import json
import os
import signal
import socket
import sys
import time
import types

CONTROL_FD = int(sys.argv[1])
IMPORT_PATHS = json.loads(sys.argv[2])
WORKER_SOURCE = sys.argv[3]
SETTINGS = json.loads(sys.argv[4])

CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
PR_SET_PDEATHSIG = 1

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


sys.path[:0] = IMPORT_PATHS
sys.argv = ["-c"]
import numpy  # noqa: E402,F401 - the point of the zygote: imported once, before any fork

WORKER_MODULE = types.ModuleType("worker")
WORKER = WORKER_MODULE.__dict__
exec(compile(WORKER_SOURCE, "<string>", "exec"), WORKER)
WORKER["__name__"] = "__main__"


def _preload_pyseccomp():
    """Import pyseccomp now, as confine.py would (libraries resolved by the grader, no ldconfig)."""
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: SETTINGS.get("libraries", {}).get(name) or original(name)
    try:
        import pyseccomp  # noqa: F401
    except ImportError:
        pass
    finally:
        ctypes.util.find_library = original


_preload_pyseccomp()
OWN_PID_NAMESPACE = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)


def _fork_in_new_pid_namespace():
    """fork(), the child being PID 1 of a namespace of its own: unshare(CLONE_NEWPID) applies to
    the caller's next child only, and setns back to the zygote's own namespace lets the next
    unshare make another one."""
    _check(_libc.unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)")
    pid = -1
    try:
        pid = os.fork()
    finally:
        if pid != 0:
            _check(_libc.setns(OWN_PID_NAMESPACE, CLONE_NEWPID), "setns back to the zygote's PID namespace")
    return pid


def _enter_namespaces():
    """In the child: its own network and mount namespaces, mounts private, /proc of its PID
    namespace (so it sees only itself)."""
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PDEATHSIG)")
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET), "unshare(mount, network)")
    _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount private")
    _check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")


def _keep_only(fds):
    """Close every descriptor but stdin/out/err (/dev/null) and `fds`."""
    low = 3
    for fd in sorted(fds):
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)


def _reseed():
    """Fresh entropy, as a fresh process would have, for the generators the zygote has imported
    (and so seeded once for all its children); the others are seeded when a student imports them."""
    if "random" in sys.modules:
        sys.modules["random"].seed()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()


def _child(request_fd, reply_fd, env):
    """Never returns: the child's whole life."""
    code = 1
    try:
        _keep_only((request_fd, reply_fd))
        _enter_namespaces()
        os.setsid()
        os.environ.clear()
        os.environ.update(env)
        _reseed()
        WORKER["REQUEST_FD"], WORKER["REPLY_FD"] = request_fd, reply_fd
        WORKER["FORKED"].update(zygote=True)
        sys.modules["__main__"] = WORKER_MODULE  # as in a fresh worker, run as __main__
        WORKER["main"]()
        code = 0
    except BaseException:  # noqa: BLE001 - the grader sees the pipe close and the exit code
        code = 1
    finally:
        os._exit(code)


def _probe():
    """Fork one child that only sets up its namespaces: a zygote whose children cannot be
    confined must say so and serve nobody."""
    read_end, write_end = os.pipe()
    pid = _fork_in_new_pid_namespace()
    if pid == 0:
        os.close(read_end)
        message = b""
        try:
            _enter_namespaces()
        except BaseException as exc:  # noqa: BLE001
            message = f"{type(exc).__name__}: {exc}".encode()[:300]
        os.write(write_end, message)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        problem = pipe.read().decode(errors="replace")
    os.waitpid(pid, 0)
    return problem or None


def _status(pid, timeout):
    """The child's exit code like Popen.returncode (-signal when killed), None if still running."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.002)


def serve(control):
    children: dict = {}
    """Exit codes of the children not yet killed by the grader (None: still running)."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)
        op = request.get("op")
        reply: dict
        if op == "fork":
            if len(fds) != 2:
                reply = {"error": "a fork request needs two descriptors"}
            else:
                pid = _fork_in_new_pid_namespace()
                if pid == 0:
                    control.close()
                    _child(fds[0], fds[1], request["env"])
                children[pid] = None
                reply = {"id": pid}
            for fd in fds:
                os.close(fd)
        elif op in ("wait", "kill"):
            pid = request.get("id")
            if pid not in children:
                reply = {"error": "no such child"}
            else:
                if children[pid] is None and op == "kill":
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                if children[pid] is None:
                    children[pid] = _status(pid, 30.0 if op == "kill" else float(request.get("timeout", 0)))
                reply = {"status": children[pid]}
                if op == "kill":
                    del children[pid]
        elif op == "modules":
            reply = {"modules": sorted(sys.modules), "globals": sorted(globals())}
        else:
            reply = {"error": "unknown request"}
        control.sendall(json.dumps(reply).encode())


def main():
    control = socket.socket(fileno=CONTROL_FD)
    try:
        problem = _probe()
    except OSError as exc:
        problem = f"{type(exc).__name__}: {exc}"
    control.sendall(json.dumps({"ready": problem is None, "error": problem}).encode())
    if problem is None:
        serve(control)


main()
