"""The student-side program. It runs as `python -I -S -c <this source>` in a fresh process (or
in a child forked by the zygote, grader/run/sandbox/forkserver.py, which calls `main` with the
pipes set) and imports nothing from the grader: it never sees the reference, the expected
values, or the grader's own files. Hardening (grader/sandbox/harden.py) is applied before
student code runs.

Protocol: length-prefixed JSON frames, each followed by as many raw float64 bytes as its
"bytes" says (array arguments and answers: their shapes are in the JSON, never their numbers).
Requests arrive on the pipe named by argv[1], replies leave on the pipe named by argv[2];
student output goes to files in the working directory. argv[3] lists (JSON) where numpy is
installed: it is imported before the first frame, so a worker can be started ahead of time,
before the student it will serve is known.
Every reply carries `seq`, the index of the request it answers (the hello is 0), and nothing is
written between a reply and the next request, so the parent can tell a forged frame from a reply.
Before each call the worker writes a tick (an 8-byte header with its top bit set and the case's
index), so the parent can hold every call to its time limit from outside, whatever the student's
code does with signals. Printed output is counted and dropped: it never reaches a file or a pipe,
so no amount of printing can fail or slow a correct function. The reply carries only numbers
(floats, with NaN/inf allowed), shapes, and short strings; the parent trusts none of it.
"""

import io
import json
import os
import signal
import struct
import sys
import traceback
import warnings

REQUEST_FD = int(sys.argv[1]) if len(sys.argv) > 2 else 3
REPLY_FD = int(sys.argv[2]) if len(sys.argv) > 2 else 4
MAX_ANSWER_ENTRIES = 10_000
MAX_TEXT = 400
TICK = 1 << 63
FORKED: dict = {}
"""Set by the zygote (grader/run/sandbox/forkserver.py) in the children it forks: reported with
the layers, for `grader doctor`."""


class CountingSink(io.TextIOBase):
    """sys.stdout and sys.stderr while student code runs: counts what is printed, keeps nothing."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def writable(self):
        return True

    def write(self, text):
        self.count += len(text)
        return len(text)


PRINTED = CountingSink()


class CallTimeout(BaseException):
    """Raised by the alarm in student code; a BaseException so `except Exception` won't eat it."""


def _alarm(signum, frame):
    raise CallTimeout()


REQUESTS = [0]
"""Request frames read so far; each reply carries `seq`, the index of the request it answers."""


def read_frame():
    REQUESTS[0] += 1
    header = _read_exactly(8)
    if header is None:
        return None
    (length,) = struct.unpack(">Q", header)
    frame = json.loads(_read_exactly(length).decode("utf-8"))
    if frame.get("bytes"):
        frame["numbers"] = _read_exactly(frame["bytes"])
    return frame


def _read_exactly(n):
    chunks, remaining = [], n
    while remaining:
        chunk = os.read(REQUEST_FD, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def write_all(payload):
    view = memoryview(payload)
    while view:
        written = os.write(REPLY_FD, view)
        view = view[written:]


def write_frame(obj, numbers=None):
    """One reply: its JSON, then (when `numbers`, the answers' raw float64s, is given) those
    bytes, as many as its "bytes" says."""
    raw = b"".join(numbers) if numbers is not None else b""
    if numbers is not None:
        obj = {**obj, "bytes": len(raw)}
    data = json.dumps(obj, allow_nan=True, separators=(",", ":")).encode("utf-8")
    write_all(struct.pack(">Q", len(data)) + data + raw)


def tick(index):
    """Tell the parent that call `index` of the batch starts now."""
    write_all(struct.pack(">Q", TICK | index))


def short(text):
    text = str(text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def describe_exception(exc):
    return short(f"{type(exc).__name__}: {exc}")


def strip_magics(source):
    """Drop IPython-only lines (%magic, !shell, x = !cmd) and whole %%cell-magic cells, so a
    notebook runs as plain Python, as it would in a kernel minus the shell."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return ""
    kept = []
    for line in lines:
        bare = line.strip()
        if bare.startswith(("%", "!")) or ("= !" in line and bare.split("=", 1)[1].strip().startswith("!")):
            indent = line[: len(line) - len(line.lstrip())]
            kept.append(indent + "pass")
        elif bare.endswith("?") and bare[:-1].replace(".", "").replace("_", "").isalnum():
            kept.append(line[: len(line) - len(line.lstrip())] + "pass")
        else:
            kept.append(line)
    return "\n".join(kept)


def run_cell(source, label, namespace, timeout):
    """Run one cell like a kernel: an exception is recorded and later cells still run."""
    try:
        code = compile(strip_magics(source), label, "exec")
    except SyntaxError as exc:
        return describe_exception(exc)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        exec(code, namespace)
    except CallTimeout:
        return f"cell did not finish within {timeout:g} s"
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything
        frames = traceback.extract_tb(exc.__traceback__)
        where = next((f"line {f.lineno}" for f in reversed(frames) if f.filename == label), "")
        return describe_exception(exc) + (f" ({where})" if where else "")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return None


def install_selfcheck_stub():
    """The notebooks' self-check cells call `selfcheck.check(...)`; while grading they must not
    run (a hanging function would hang every cell that checks it), so they become no-ops, and so
    does a `submit()` a student left in a cell (the sandbox has no network anyway)."""
    import types

    stub = types.ModuleType("selfcheck")
    stub.__dict__.update(
        check=lambda *args, **kwargs: None,
        autograde=lambda *args, **kwargs: None,
        submit=lambda *args, **kwargs: None,
        run=lambda *args, **kwargs: (False, "self-checks do not run while grading"),
    )
    sys.modules["selfcheck"] = stub


def load(units, names, cell_timeout, load_timeout):
    """Run every unit (a notebook's code cells, or a .py file) in a namespace of its own, as
    separate kernels would, and find which graded names each defines. Once the load budget is
    spent, the remaining cells are skipped rather than the whole submission lost."""
    import time

    install_selfcheck_stub()
    found, errors = {}, []
    started = time.monotonic()
    for unit in units:
        namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        for index, source in enumerate(unit["cells"]):
            label = f"{unit['name']} cell {index + 1}" if unit["notebook"] else unit["name"]
            remaining = load_timeout - (time.monotonic() - started)
            if remaining <= 0.05:
                errors.append({"where": short(label), "error": "skipped: the submission's load time ran out"})
                continue
            error = run_cell(source, label, namespace, min(cell_timeout, remaining))
            if error is not None:
                errors.append({"where": short(label), "error": error})
        for name in names:
            if callable(namespace.get(name)):
                found[name] = namespace[name]
    return found, errors


def decode_argument(value, np, numbers):
    """A fresh array per call (a function may change its argument in place), from the request's
    raw float64s ("at") or, in the older form, a JSON list ("v")."""
    if isinstance(value, dict):
        if "at" in value:
            count = 1
            for dimension in value["shape"]:
                count *= dimension
            return numbers[value["at"] : value["at"] + count].reshape(value["shape"]).copy()
        return np.array(value["v"], dtype=np.float64).reshape(value["shape"])
    return value


def encode_answer(value, np, numbers):
    """Convert with numpy.asarray(dtype=float), refusing complex, object and oversized results;
    the numbers go to `numbers` (sent raw after the reply's JSON), the shape to the JSON."""
    if value is None:
        raise TypeError("returned None")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"returned a {type(value).__name__}, not numbers")
    kind = type(value)
    if kind is float or kind is np.float64 or (kind is np.ndarray and value.dtype == np.float64):
        array = np.asarray(value, dtype=float)  # nothing to convert, nothing to warn about
    else:
        array = _convert(value, np)
    if array.size > MAX_ANSWER_ENTRIES:
        raise ValueError(f"returned {array.size} numbers, more than {MAX_ANSWER_ENTRIES}")
    numbers.append(array.tobytes())  # now: the function may change the array it returned later
    return {"shape": list(array.shape)}


def _convert(value, np):
    """Anything but a float64 array or float: converted with every numpy warning an error (a
    ragged list, say), after refusing complex numbers and oversized objects."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raw = np.asarray(value)
        if raw.dtype.kind == "c":
            raise TypeError("returned complex numbers")
        if raw.dtype.kind in "OSUV" and raw.size > MAX_ANSWER_ENTRIES:
            raise ValueError("returned an oversized object")
        return np.asarray(value, dtype=float)


def convert(result, returns, length, np, numbers):
    """The answer's shapes; its numbers are appended to `numbers` only when all of it converts."""
    converted: list = []
    if returns == "tuple":
        if not isinstance(result, (tuple, list)):
            raise TypeError(f"returned {type(result).__name__}, expected a tuple of {length}")
        if len(result) != length:
            raise ValueError(f"returned {len(result)} values, expected {length}")
        shapes = [encode_answer(item, np, converted) for item in result]
    else:
        shapes = encode_answer(result, np, converted)
    numbers.extend(converted)
    return shapes


def call_all(function, request, timeout, np, numbers):
    """Evaluate one function on a batch of cases, each with its own alarm. After a timeout the
    rest of the batch is skipped: a function that hangs once will hang again. The answers'
    numbers are appended to `numbers`, in order."""
    outcomes = []
    given = np.frombuffer(request.get("numbers", b""), dtype=np.float64)
    for index, args in enumerate(request["cases"]):
        values = [decode_argument(a, np, given) for a in args]
        tick(index)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = function(*values)
            outcome = {"ok": convert(result, request["returns"], request["length"], np, numbers)}
        except CallTimeout:
            outcomes.append({"timeout": True})
            break
        except RecursionError:
            outcome = {"error": "RecursionError: maximum recursion depth exceeded"}
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            outcome = {"error": describe_exception(exc)}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        outcomes.append(outcome)
    return outcomes


def main():
    signal.signal(signal.SIGALRM, _alarm)
    sys.path[:0] = json.loads(sys.argv[3]) if len(sys.argv) > 3 else []
    import numpy as np

    hello = read_frame()
    if hello is None:
        return
    os.chdir(hello["workdir"])

    layers = dict(FORKED)
    harden = hello.get("harden")
    if harden:
        confine = {"__name__": "confine", "CONFIG": harden["config"]}
        exec(compile(harden["source"], "<confine>", "exec"), confine)
        layers.update(confine["LAYERS"])

    sys.stdout = sys.stderr = PRINTED
    found, errors = load(hello["units"], hello["names"], hello["cell_timeout"], hello["load_timeout"])
    loaded = {"defined": sorted(found), "errors": errors[:50], "layers": layers, "printed": PRINTED.count}
    write_frame({**loaded, "seq": 0})
    while True:
        request = read_frame()
        if request is None or request.get("op") == "bye":
            return
        function = found.get(request["name"])
        numbers: list = []
        outcomes = [] if function is None else call_all(function, request, hello["call_timeout"], np, numbers)
        sys.stdout = sys.stderr = PRINTED  # whatever the student's code put there
        write_frame({"outcomes": outcomes, "printed": PRINTED.count, "seq": REQUESTS[0] - 1}, numbers)


if __name__ == "__main__":
    main()
