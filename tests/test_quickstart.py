"""The README's commands work as written, and every `grader` command in the docs parses.

The README marks each runnable block with `<!-- quickstart: NAME -->` on the line before its
```bash fence; the tests run exactly those blocks, in a copy of this checkout with a HOME and
data folder of their own (so the service's database is a fresh one). The one change made to the
text: the service's port 8000 becomes a free port, as another service may hold 8000 here.
Every `grader ...` line of a ```bash block in README.md and docs/*.md is also parsed by the CLI's
own click parser (unknown commands and options, missing arguments, bad choices fail), which is
fast and runs every day."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from grader.frontends.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKED = re.compile(r"<!-- quickstart: ([\w-]+) -->\n```bash\n(.*?)```", re.S)
BASH = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
QUICK_STARTS = ("student", "instructor", "operator")


def marked_blocks(text: str) -> dict[str, str]:
    return {name: body for name, body in MARKED.findall(text)}


def grader_lines(text: str) -> list[str]:
    """Each `grader ...` command of the ```bash blocks, continuation lines joined, comments and
    what follows a shell operator (`&`, `|`, `>`, `&&`) dropped."""
    found = []
    for block in BASH.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            for start, word in enumerate(words):
                if word in (".venv/bin/grader", "grader"):
                    command = []
                    for part in words[start + 1 :]:
                        if part in ("&", "|", "&&", "||", ";", ">", "2>", ">>") or part.startswith(">"):
                            break
                        command.append(part)
                    found.append(command)
    return found


def parse(args: list[str]) -> None:
    """Parse a command line with the CLI's click objects, down to the leaf command, without
    running it (click raises UsageError for anything it would refuse; options are recognised
    before any value is converted, so an unknown option is found even where a path is missing)."""
    command: click.Command = cli
    context = command.make_context("grader", list(args))
    while isinstance(command, click.Group):
        name, sub, rest = command.resolve_command(context, [*context._protected_args, *context.args])
        assert sub is not None and name is not None
        command, context = sub, sub.make_context(name, rest, parent=context)


def test_readme_marks_its_set_up_and_each_quick_start():
    blocks = marked_blocks(README.read_text())
    assert set(blocks) == {"setup", *QUICK_STARTS}
    assert "grader grade examples/submitted" in blocks["setup"]


@pytest.mark.parametrize("page", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name)
def test_every_grader_command_in_the_docs_parses(page, monkeypatch):
    monkeypatch.chdir(ROOT)  # paths such as --solutions are checked relative to the checkout
    commands = grader_lines(page.read_text())
    for args in commands:
        try:
            parse(args)
        except click.BadParameter as exc:
            if isinstance(getattr(exc.param, "type", None), click.Path):
                continue  # an example's file (my-hw1, class.csv) that this checkout does not hold
            pytest.fail(f"{page.name}: `grader {shlex.join(args)}`: {exc.format_message()}")
        except click.exceptions.UsageError as exc:
            pytest.fail(f"{page.name}: `grader {shlex.join(args)}`: {exc.format_message()}")


def test_the_parse_refuses_a_typo():
    """The guard itself: a misspelt option, a missing argument and a wrong choice are refused."""
    for args in (["grade", "x", "--fromat", "json"], ["check"], ["grade", "x", "--format", "yaml"]):
        with pytest.raises(click.exceptions.UsageError):
            parse(args)


def _copy_checkout(to: Path) -> None:
    """The checkout's files as git knows them (the working tree's text), without .venv or .git."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)


def _environment(tmp_path: Path, venv: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env["HOME"] = str(tmp_path / "home")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    (tmp_path / "home").mkdir()
    return env


def _run(block: str, cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_freed(port: int, within: float) -> bool:
    """The block's `kill` only asks the service to stop: it drains its workers, then closes."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT, not a listener
            try:
                probe.bind(("127.0.0.1", port))
                return True
            except OSError:
                time.sleep(0.5)
    return False


def _expect_success(name: str, done: subprocess.CompletedProcess) -> str:
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"README's {name} quick start exited {done.returncode}:\n{output[-4000:]}"
    return output


@pytest.mark.slow
def test_quick_starts_run_as_written(tmp_path):
    """Student, instructor, operator, in that order, in one copy (the operator's block hands in
    the student's folder), with the project's venv as the copy's .venv."""
    checkout = tmp_path / "clone"
    _copy_checkout(checkout)
    venv = Path(sys.prefix)
    (checkout / ".venv").symlink_to(venv)
    env = _environment(tmp_path, venv)
    blocks = marked_blocks((checkout / "README.md").read_text())

    output = _expect_success("student", _run(blocks["student"], checkout, env, 120))
    assert "14 of 14 functions pass the self-check" in output
    assert "7 of 7 functions pass the self-check" in output

    output = _expect_success("instructor", _run(blocks["instructor"], checkout, env, 300))
    results = json.loads((checkout / "results.json").read_text())
    graded = {(s["student"], s["assignment"]): s["score"] for s in results["submissions"]}
    assert graded[("ada", "hw1")] == 92.0 and graded[("ada", "hw2")] == 27.0
    assert (checkout / "feedback" / "ada-hw1.html").is_file()
    assert (checkout / "report.html").is_file() and (checkout / "report.csv").is_file()
    assert "all checks passed" in output
    assert (checkout / "hw1.zip").stat().st_size > 0

    port = str(_free_port())
    operator = blocks["operator"].replace("8000", port)
    done = _run(operator, checkout, env, 300)
    output = _expect_success("operator", done)
    assert "Score: 92 / 92" in output, output[-4000:]
    for shown in ('"student": "ada"', '"auto_score": 92.0', '"state": "needs-manual"'):
        assert shown in done.stdout, output[-4000:]  # the teaching assistant's roster
    assert _port_freed(int(port), within=60), "the service still listens after the quick start's kill"


@pytest.mark.slow
def test_set_up_command_from_a_fresh_copy(tmp_path):
    """The first set-up command, pip install included, in a copy with no .venv."""
    checkout = tmp_path / "clone"
    _copy_checkout(checkout)
    env = _environment(tmp_path, None)
    block = marked_blocks(README.read_text())["setup"]
    output = _expect_success("set-up", _run(block, checkout, env, 900))
    assert re.search(r"\bada\b", output) and "hw2" in output
    assert (checkout / ".venv" / "bin" / "grader").is_file()


def test_readme_links_lead_somewhere():
    """The README is read on the forge, outside the docs site (which `mkdocs build --strict`
    checks): each relative link names a file of the checkout, each #anchor a README heading."""
    text = README.read_text()
    headings = {
        re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in text.splitlines()
        if line.startswith("#")
    }
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if link.startswith(("http://", "https://")):
            continue
        path, _, anchor = link.partition("#")
        if path:
            assert (ROOT / path).exists(), f"README links to {path}, which is not in the checkout"
        else:
            assert anchor in headings, f"README links to #{anchor}, which no heading makes"
