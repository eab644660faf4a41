"""The parent's side of the wire: frames out, and strict validation of everything that comes
back. Nothing from the student's process is unpickled or trusted: a reply is JSON, and an
answer is accepted only as a list of ints (its shape) and the matching count of numbers,
within size caps. Arrays travel as raw float64 after a frame's JSON (its "bytes" says how
many), in the order of the shapes that name them: no number is written or parsed as text. The
older form, the numbers as a JSON list ("v"), is still read."""

from __future__ import annotations

import json
import math
import struct

import numpy as np

MAX_FRAME_BYTES = 32 * 1024 * 1024
MAX_ANSWER_ENTRIES = 10_000
"""Numbers in one answer; more is an error for that case (the worker says so first)."""
TICK = 1 << 63
"""A frame header with this bit set is a tick: the call with the index in its low bits starts."""
REPLY_OVERHEAD = 64
"""JSON values a reply may hold per case beyond its numbers (keys, shapes, tuple parts)."""


def reply_elements(count: int) -> int:
    """The most JSON values (arrays, objects and commas) a reply to `count` calls may hold."""
    return max(count, 1) * (MAX_ANSWER_ENTRIES + REPLY_OVERHEAD) + 1000


MAX_DIMENSIONS = 8
MAX_TEXT = 400


class ProtocolError(Exception):
    """The student's process sent something that is not a well-formed reply."""


def encode_frame(obj) -> bytes:
    data = json.dumps(obj, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return struct.pack(">Q", len(data)) + data


def call_frame(name: str, returns: str, length: int, cases: list[tuple]) -> bytes:
    """The request for one batch of calls of `name` on `cases` (argument tuples). It depends on
    nothing but these, so the plan builds it once for every student. Array arguments are
    {'shape': [...], 'at': k}: their numbers start at the k-th float64 after the JSON."""
    chunks: list[bytes] = []
    offset = 0

    def argument(value):
        nonlocal offset
        if not isinstance(value, np.ndarray):
            return encode_argument(value)
        data = np.ascontiguousarray(value, dtype=np.float64)
        if not np.isfinite(data).all():
            raise ValueError("Out of range float values are not JSON compliant")
        chunks.append(data.tobytes())
        offset += data.size
        return {"shape": list(value.shape), "at": offset - data.size}

    encoded = [[argument(v) for v in args] for args in cases]
    numbers = b"".join(chunks)
    request = {"op": "call", "name": name, "returns": returns, "length": length, "cases": encoded}
    return encode_frame({**request, "bytes": len(numbers)}) + numbers


def frame_length(header: bytes) -> int:
    (length,) = struct.unpack(">Q", header)
    if length > MAX_FRAME_BYTES:
        raise ProtocolError(f"reply of {length} bytes exceeds the {MAX_FRAME_BYTES}-byte cap")
    return length


def _reject_constant(name: str) -> float:
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def decode_frame(data: bytes, elements: int | None = None) -> dict:
    """A reply as a dict; one holding more than `elements` values is refused before decoding
    (counting brackets and commas is cheap; decoding 30 MB of `[]` is not)."""
    if elements is not None and data.count(b",") + data.count(b"[") + data.count(b"{") > elements:
        raise ProtocolError(f"reply holds more than {elements} values")
    try:
        obj = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProtocolError(f"reply is not valid JSON: {type(exc).__name__}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("reply is not a JSON object")
    return obj


def encode_argument(value):
    """Arguments travel as {'shape': [...], 'v': [...]} for arrays, plain numbers otherwise."""
    if isinstance(value, np.ndarray):
        return {"shape": list(value.shape), "v": value.astype(np.float64).ravel().tolist()}
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)


def text(value) -> str:
    """A short, printable string from an untrusted value."""
    if not isinstance(value, str):
        return "(malformed text)"
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in value)
    return cleaned[:MAX_TEXT]


class Numbers:
    """The raw float64 part of a reply, taken answer by answer in the order of their shapes."""

    def __init__(self, data: bytes) -> None:
        if len(data) % 8:
            raise ProtocolError("a reply's numbers are not whole float64s")
        self.values = np.frombuffer(data, dtype=np.float64)
        self.at = 0

    def take(self, shape: list[int]) -> np.ndarray:
        count = math.prod(shape)
        if self.at + count > len(self.values):
            raise ProtocolError("answer beyond the numbers sent")
        part = self.values[self.at : self.at + count]
        self.at += count
        return part.reshape(shape).copy()  # its own, writable memory, as np.array gives

    def finished(self) -> bool:
        return self.at == len(self.values)


def _shape(value) -> list[int]:
    shape = value["shape"]
    if not isinstance(shape, list) or len(shape) > MAX_DIMENSIONS:
        raise ProtocolError("malformed shape")
    if not all(type(d) is int and 0 <= d <= MAX_ANSWER_ENTRIES for d in shape):
        raise ProtocolError("malformed shape")
    return shape


def decode_array(value, numbers: Numbers | None = None) -> np.ndarray:
    if isinstance(value, dict) and set(value) == {"shape"} and numbers is not None:
        shape = _shape(value)
        if math.prod(shape) > MAX_ANSWER_ENTRIES:
            raise ProtocolError("answer too large")
        return numbers.take(shape)
    if not isinstance(value, dict) or set(value) != {"shape", "v"}:
        raise ProtocolError("malformed answer")
    shape, entries = _shape(value), value["v"]
    if not isinstance(entries, list) or len(entries) > MAX_ANSWER_ENTRIES:
        raise ProtocolError("answer too large")
    if len(entries) != math.prod(shape):
        raise ProtocolError("answer size does not match its shape")
    if not set(map(type, entries)) <= {float, int}:
        raise ProtocolError("answer holds something other than numbers")
    try:
        return np.array(entries, dtype=np.float64).reshape(shape)
    except OverflowError:  # an integer beyond any float (JSON allows 10**400)
        raise ProtocolError("answer holds a number too large for a float") from None


def decode_answer(value, returns: str, length: int, numbers: Numbers | None = None):
    """An ndarray, or a tuple of `length` ndarrays (float64, writable), as it always was."""
    if returns == "tuple":
        if not isinstance(value, list) or len(value) != length:
            raise ProtocolError("malformed tuple answer")
        return tuple(decode_array(item, numbers) for item in value)
    return decode_array(value, numbers)
