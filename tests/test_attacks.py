"""The attack suite: hostile submissions, each graded in one batch with an honest neighbour.

For every attack: the attacker loses marks exactly on the functions its `affects:` line names
(`all`: everything) and keeps them elsewhere, so it never earns more than its real answers; the
neighbour gets exactly the result it gets alone; the batch completes with valid output; no file
appears outside the sandbox; no process survives; nothing reaches the network."""

import json
import os
import resource
import shutil
import socket
import threading
from pathlib import Path

import pytest

from conftest import ATTACKS as ATTACK_LIBRARY
from conftest import SUBMISSIONS, affected, find, mistake_source
from grader.core.batch import grade_all
from grader.report.formats import as_json

SLOW_ATTACKS = {"very_slow_calls", "ignore_the_alarm", "hang_at_import"}
"""Attacks that wait out the sandbox's time limits (10 to 20 s each): the slow tier."""
ATTACKS = [
    pytest.param(p, marks=pytest.mark.slow) if p.stem in SLOW_ATTACKS else p
    for p in sorted(ATTACK_LIBRARY.glob("*.py"))
]
NEIGHBOUR = SUBMISSIONS / "correct" / "einsum_style.py"
BASE = SUBMISSIONS / "base.py"
MARKERS = ("/tmp/grader-attack-marker", "/tmp/grader-attack-pickle-ran")


class Listener:
    """A loopback TCP and UDP listener that records anything that reaches it."""

    def __init__(self) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen()
        self.tcp.settimeout(0.2)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.settimeout(0.2)
        self.received: list[str] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.tcp.accept()
                self.received.append("tcp connection")
                connection.close()
            except OSError:
                pass
            try:
                self.udp.recvfrom(1024)
                self.received.append("udp datagram")
            except OSError:
                pass

    def close(self) -> list[str]:
        self.running = False
        self.thread.join()
        self.tcp.close()
        self.udp.close()
        return self.received


def surviving_processes() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "attack-survivor" in cmdline or ("sleep 600" in cmdline):
                found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.fixture(scope="module")
def neighbour_alone(grader, tmp_path_factory):
    folder = tmp_path_factory.mktemp("alone")
    shutil.copy(NEIGHBOUR, folder / "neighbour.py")
    [submission] = find(folder / "neighbour.py")
    return grader.grade(submission).to_json()


def test_the_suite_is_big_enough():
    assert len(ATTACKS) >= 24


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: getattr(p, "stem", ""))
def test_attack_is_contained(core, neighbour_alone, attack, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "do-not-leak")
    listener = Listener()
    batch = tmp_path / "batch"
    batch.mkdir()
    neighbour_path = batch / "neighbour.py"
    source = mistake_source(attack, BASE).replace("LISTENER_PORT = 0", f"LISTENER_PORT = {listener.port}")
    (batch / "attacker.py").write_text(
        source.replace('NEIGHBOUR_PATH = ""', f'NEIGHBOUR_PATH = "{neighbour_path}"')
    )
    shutil.copy(NEIGHBOUR, batch / "neighbour.py")
    before = {p: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in batch.iterdir()}
    folder_mode = batch.stat().st_mode
    try:
        results = list(grade_all(core, find(batch), jobs=1))
    finally:
        reached = listener.close()

    document = json.loads(as_json(results, 1, 100))
    attacker, neighbour = (
        next(s for s in document["submissions"] if s["student"] == name) for name in ("attacker", "neighbour")
    )
    neighbour["submission"] = neighbour_alone["submission"]
    assert neighbour == neighbour_alone

    wanted = affected(attack)
    graded = [e for e in attacker["exercises"] if e["status"] != "manual"]
    if wanted == {"all"}:
        assert attacker["score"] == 0, {e["id"]: e["feedback"] for e in graded if e["score"]}
    else:
        lost = {e["id"] for e in graded if e["score"] < e["max_score"]}
        assert lost == wanted, {e["id"]: e["feedback"][:300] for e in graded if e["id"] in lost ^ wanted}

    longest = max(len(e["feedback"]) for e in attacker["exercises"])
    assert longest < 4000, f"feedback of {longest} characters: answers shown must be cut"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 800, f"the grader's process reached {peak_mb:.0f} MB"

    after = {p: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in batch.iterdir()}
    assert after == before and batch.stat().st_mode == folder_mode, "the attack changed files beside it"
    assert not [m for m in MARKERS if os.path.exists(m)], "a file appeared outside the sandbox"
    assert not surviving_processes()
    assert not reached, f"the network was reached: {reached}"
