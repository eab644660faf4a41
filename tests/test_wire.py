"""The parent's side of the wire trusts nothing: only numbers of a checked shape get through."""

import math

import numpy as np
import pytest

from grader.run.sandbox.wire import (
    MAX_ANSWER_ENTRIES,
    ProtocolError,
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
