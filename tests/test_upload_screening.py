"""Issue 19, in the intake: an upload is refused by its names, types and sizes before anything is
parsed (finding 2); a malformed notebook is a sentence naming the file and the problem, never an
exception (finding 6), read the same way in a limited child process; zip members obey the rule
for file names (finding 7). No timing here: benchmarks/upload_refusal.py measures the cost."""

from __future__ import annotations

import io
import json
import zipfile

import nbformat
import pytest

from grader.intake import checking
from grader.intake.archives import unpack
from grader.intake.files import Budget, Received
from grader.intake.notebooks import UnreadableSubmission, unit_from_bytes
from grader.intake.uploads import Rejected, receive_uploads

BUDGET = Budget()
DEEP = b"[" * 3000 + b"]" * 3000
GOOD_V4 = json.dumps(
    {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": "x = 1"}]}
).encode()


def v4(cells: list) -> bytes:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}).encode()


HOSTILE_NOTEBOOKS = {
    "deep.ipynb": (DEEP, "nested more than"),
    "deepcell.ipynb": (v4([{"cell_type": "code", "source": "@"}]).replace(b'"@"', DEEP), "nested more than"),
    "intsource.ipynb": (v4([{"cell_type": "code", "source": ["x = 1\n", 7]}]), "source must be text"),
    "dictsource.ipynb": (v4([{"cell_type": "code", "source": {"a": 1}}]), "not an object"),
    "cellnumber.ipynb": (v4([3]), "cell 1 must be an object"),
    "metalist.ipynb": (v4([{"cell_type": "code", "source": "", "metadata": []}]), "metadata must be"),
    "gradeid.ipynb": (
        v4([{"cell_type": "code", "source": "", "metadata": {"nbgrader": {"locked": 1, "grade_id": [1]}}}]),
        "grade_id must be text",
    ),
    "nbgrader.ipynb": (v4([{"cell_type": "code", "source": "", "metadata": {"nbgrader": 5}}]), "nbgrader"),
    "cellsobject.ipynb": (b'{"nbformat": 4, "cells": {"a": 1}}', "cells must be a list"),
    "version.ipynb": (b'{"nbformat": "4", "cells": []}', "nbformat must be 2, 3 or 4"),
    "list.ipynb": (b"[1, 2]", "not an object"),
    "bigint.ipynb": (b'{"nbformat": ' + b"9" * 5000 + b"}", "not JSON"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_NOTEBOOKS))
def test_a_malformed_notebook_is_an_error_naming_the_file_and_the_problem(name):
    data, problem = HOSTILE_NOTEBOOKS[name]
    with pytest.raises(UnreadableSubmission) as raised:
        unit_from_bytes(f"sub/\x1b[31m{name}", data)
    message = str(raised.value)
    assert message.startswith(f"sub/\\x1b[31m{name}: not a valid Jupyter notebook (")
    assert problem in message and "\x1b" not in message and len(message) < 400


def test_the_child_process_finds_the_same_problems_and_passes_good_files():
    files = [(name, data) for name, (data, _) in sorted(HOSTILE_NOTEBOOKS.items())]
    files += [("good.ipynb", GOOD_V4), ("good.py", b"x = 1\n"), ("latin.py", b"\xe9")]
    found = checking.in_child(files, BUDGET.file_bytes)
    assert found == checking.in_process(files, BUDGET.file_bytes)
    assert set(found.problems) == set(HOSTILE_NOTEBOOKS) | {"latin.py"}
    assert found.problems["latin.py"] == "not UTF-8 text"
    assert found.names == {"good.ipynb": ["x"], "good.py": ["x"]}


def test_a_child_that_runs_out_of_its_limits_names_the_file(monkeypatch):
    huge = v4([{"cell_type": "code", "source": ["x\n"] * 2_000_000}])
    files = [("ok.py", b"x = 1\n"), ("huge.ipynb", huge), ("after.ipynb", DEEP)]
    monkeypatch.setattr(checking, "MEMORY", 64 << 20)  # Python and the bytes fit; parsing does not
    found = checking.in_child(files, 64 << 20)
    assert found.problems["huge.ipynb"] == "too large to read within the memory limit"
    assert "nested" in found.problems["after.ipynb"] and "ok.py" not in found.problems
    monkeypatch.setattr(checking, "MEMORY", 32 << 20)  # Python (13 MB) fits; 40 MiB of bytes do not
    found = checking.in_child([("ok.py", b"x = 1\n"), ("big.py", b"#" * (40 << 20)), *files], 64 << 20)
    assert found.problems == {"big.py": "could not be read within the limits (10 s of CPU, 32 MiB)"}


def test_format_3_is_read_as_nbformat_upgrades_it():
    """nbjson's own upgrade of formats 2 and 3 (nbformat's took seconds) gives the same cells."""
    cells = [
        {"cell_type": "heading", "level": 1, "source": "Title", "metadata": {}},
        {"cell_type": "code", "input": ["def f():\n", "    return 1\n"], "language": "python", "outputs": []},
        {"cell_type": "markdown", "source": ["some ", "text"], "metadata": {}},
        {"cell_type": "code", "input": "y = 2", "outputs": [], "metadata": {"nbgrader": {"grade": True}}},
    ]
    document = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": cells}]}
    text = json.dumps(document)
    unit = unit_from_bytes("old.ipynb", text.encode())
    upgraded = nbformat.reads(text, as_version=4)
    expected = tuple(
        c.source
        for c in upgraded.cells
        if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")
    )
    assert unit.cells == expected == ("def f():\n    return 1\n",)


def test_an_upload_refused_by_name_or_type_is_never_parsed():
    """The red team's upload: notebooks and a bad.txt. Only bad.txt is named: the notebooks were
    never parsed (one of them is broken and is not mentioned), and the check is never called."""
    calls = []

    def counting(files, max_bytes):
        calls.append([name for name, _ in files])
        return checking.in_process(files, max_bytes)

    for odd, named in [
        (("bad.txt", b"hello"), "bad.txt: not a notebook"),
        (("a\x07.py", b""), '"a\\x07.py": a file name may hold only'),
        (("big.py", b"#" * (BUDGET.file_bytes + 1)), "big.py: 5242881 bytes"),
        (("more.zip", packed({"a/\x1b.py": b""})), "more.zip/a/\\x1b.py: each part"),
    ]:
        uploads = [("broken.ipynb", b"{"), ("good.ipynb", GOOD_V4), odd]
        with pytest.raises(Rejected) as raised:
            receive_uploads(uploads, BUDGET, check=counting)
        assert str(raised.value).startswith(named) and "broken.ipynb" not in str(raised.value)
    assert calls == []
    with pytest.raises(Rejected, match="broken.ipynb: not a valid Jupyter notebook"):
        receive_uploads([("broken.ipynb", b"{"), ("good.ipynb", GOOD_V4)], BUDGET, check=counting)
    assert calls == [["broken.ipynb", "good.ipynb"]]


def test_a_zip_with_a_bad_member_name_is_refused_before_parsing():
    archive = packed({"hw/\x1b]0;pwned\x07.ipynb": b"{", "hw/broken.ipynb": b"{"})
    with pytest.raises(Rejected) as raised:
        receive_uploads([("hw.zip", archive)], BUDGET)
    message = str(raised.value)
    assert "hw.zip/hw/\\x1b]0;pwned\\x07.ipynb: each part of a name may hold only" in message
    assert "broken.ipynb" not in message and "\x1b" not in message and "\x07" not in message


def packed(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE_MEMBERS = {
    "<script>alert(1)</script>.py": "each part of a name may hold only",
    "a\x1b[2J.py": "each part of a name may hold only",
    "bell\x07.py": "each part of a name may hold only",
    "cr\rlf\n.py": "each part of a name may hold only",
    "evil\u202etxt.py": "each part of a name may hold only",
    "x" * 300 + ".py": "longer than 255 characters",
    "/".join(["d"] * 12) + "/deep.py": "nested deeper than 8 levels",
    "sp ace/ok(1).py": None,
}


def test_zip_member_names_obey_the_file_name_rules():
    received = Received()
    unpack("hand.zip", packed({n: b"x = 1\n" for n in HOSTILE_MEMBERS}), BUDGET, received, 0)
    assert received.files == {"hand/sp ace/ok(1).py": b"x = 1\n"}
    for name, why in HOSTILE_MEMBERS.items():
        if why is not None:
            shown = "hand.zip/" + (name if len(name) <= 120 else name[:120] + "...")
            assert why in received.refused[shown], name
    problems = received.problems()
    assert len(problems) == len(HOSTILE_MEMBERS) - 1
    joined = "\n".join(problems)
    for raw in ("\x1b", "\x07", "\r", "\u202e", "x" * 200):
        assert raw not in joined
    assert "\\u202e" in joined and "\\x07" in joined


def test_a_member_twice_in_one_archive_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.py", "x = 1\n")
        with pytest.warns(UserWarning):
            archive.writestr("a.py", "x = 2\n")
    received = Received()
    unpack("hand.zip", buffer.getvalue(), BUDGET, received, 0)
    assert received.refused == {"hand.zip/a.py": "in the archive twice"}


def test_the_names_a_file_binds_are_found_without_running_it():
    """What tells which assignment an upload is for: top-level defs and assignments, in cells
    with magics or syntax errors too; never names inside functions or markdown cells."""
    from grader.intake.nbjson import bound_names

    source = (
        "%matplotlib inline\nimport numpy as np\ndef sigmoid(z):\n    def inner(): pass\n    return z\n"
        "async def forward(x, W1, W2): ...\nloss = lambda y_hat, y: 0\nx: int = 3\nif x == 3: pass\n"
    )
    notebook = json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": "markdown", "source": "def not_code():\n"},
                {"cell_type": "code", "source": source.splitlines(keepends=True)},
                {"cell_type": "code", "source": "def rho(a, b, eta:\n"},
            ],
        }
    )
    names = bound_names("a.ipynb", notebook)
    assert {"sigmoid", "forward", "loss", "x", "rho"} <= set(names)
    assert not {"inner", "not_code", "np", "numpy"} & set(names)
    assert bound_names("a.py", "def eta_range(a, b):\n    return 0\n") == ["eta_range"]
    full_width = "def \uff53\uff49\uff47\uff4d\uff4f\uff49\uff44(z):\n    return z\n"  # Python reads sigmoid
    assert bound_names("a.py", full_width) == ["sigmoid"]
