"""The parent's side of the wire trusts nothing: only numbers of a checked shape get through."""

import math

import numpy as np
import pytest

from grader.run.sandbox.wire import (
    MAX_ANSWER_ENTRIES,
    Numbers,
    ProtocolError,
    call_frame,
    decode_answer,
    decode_array,
    decode_frame,
    encode_argument,
    text,
)


def test_round_trip_of_arguments_is_exact():
    value = np.array([[0.1, -2.5e-300], [np.pi, 1e300]])
    encoded = encode_argument(value)
    np.testing.assert_array_equal(decode_array(encoded), value)
    assert encode_argument(np.int64(3)) == 3 and isinstance(encode_argument(2.5), float)


@pytest.mark.parametrize(
    "bad",
    [
        {"shape": [2], "v": [1.0]},
        {"shape": [-1], "v": []},
        {"shape": [1], "v": ["1.0"]},
        {"shape": [1], "v": [True]},
        {"shape": [1], "v": [[1.0]]},
        {"shape": "2", "v": [1.0, 2.0]},
        {"shape": [1], "v": [1.0], "extra": 1},
        {"shape": [MAX_ANSWER_ENTRIES + 1], "v": []},
        [1.0, 2.0],
        None,
    ],
)
def test_malformed_answers_are_rejected(bad):
    with pytest.raises(ProtocolError):
        decode_array(bad)


def test_tuple_answers_need_the_right_length():
    item = {"shape": [1], "v": [1.0]}
    assert len(decode_answer([item, item, item], "tuple", 3)) == 3
    with pytest.raises(ProtocolError):
        decode_answer([item, item], "tuple", 3)


def test_frames_must_be_json_objects_never_pickle():
    import pickle

    with pytest.raises(ProtocolError):
        decode_frame(pickle.dumps({"ok": 1}))
    with pytest.raises(ProtocolError):
        decode_frame(b"[1, 2]")
    assert math.isnan(decode_frame(b'{"v": NaN}')["v"])


def test_text_from_the_sandbox_is_cut_and_made_printable():
    assert text("a\x1b[2Jb" + "x" * 1000).startswith("a?[2Jb") and len(text("x" * 1000)) == 400
    assert text(12) == "(malformed text)"


def _request(frame: bytes) -> tuple[dict, np.ndarray]:
    """A request frame as the worker reads it: its JSON, then its raw float64s."""
    import json
    import struct

    (length,) = struct.unpack(">Q", frame[:8])
    request = json.loads(frame[8 : 8 + length])
    numbers = np.frombuffer(frame[8 + length :], dtype=np.float64)
    assert len(numbers) * 8 == request["bytes"] == len(frame) - 8 - length
    return request, numbers


def test_array_arguments_travel_as_raw_float64_in_order():
    first, second = np.array([[0.1, -0.0], [np.pi, 1e300]]), np.arange(3, dtype=np.int64)
    request, numbers = _request(call_frame("f", "array", 0, [(first, 2), (second, 0.5)]))
    assert request["cases"] == [[{"shape": [2, 2], "at": 0}, 2], [{"shape": [3], "at": 4}, 0.5]]
    assert numbers.tobytes() == first.tobytes() + second.astype(np.float64).tobytes()
    with pytest.raises(ValueError):
        call_frame("f", "array", 0, [(np.array([np.nan]),)])


def test_raw_answers_are_taken_in_order_and_must_add_up():
    raw = np.array([1.0, 2.0, 3.0, -0.0, 5.0]).tobytes()
    numbers = Numbers(raw)
    pair = decode_answer([{"shape": [2]}, {"shape": [1, 1]}], "tuple", 2, numbers)
    assert [a.tolist() for a in pair] == [[1.0, 2.0], [[3.0]]]
    assert not numbers.finished()
    last = decode_array({"shape": [2]}, numbers)
    assert last.flags.writeable and last.flags.owndata and math.copysign(1, last[0]) == -1
    assert numbers.finished()
    with pytest.raises(ProtocolError, match="beyond"):
        decode_array({"shape": []}, numbers)
    with pytest.raises(ProtocolError):
        Numbers(raw[:-1])
    with pytest.raises(ProtocolError):
        decode_array({"shape": [MAX_ANSWER_ENTRIES + 1]}, Numbers(b""))
    with pytest.raises(ProtocolError):
        decode_array({"shape": [1]})  # raw form without the numbers
