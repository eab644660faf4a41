#!/usr/bin/env bash
# README's test command (what CI runs): Debian packages, the project's venv, mypy (its own step,
# incremental, cached in .venv/.mypy_cache), the documentation site (`mkdocs build --strict`:
# a broken link or a page left out of the nav fails the run; built into a temporary folder), then
# every test of both tiers (-m "": the slow tier too, which plain `pytest` leaves out); then, when
# run as root (as CI is), the sandbox and attack tests again as an ordinary user.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
python3 -m venv .venv
.venv/bin/pip install -q -e ".[test]"
echo "mypy:"
.venv/bin/python -m mypy
echo "documentation:"
site="$(mktemp -d)"
# never --quiet: it hides the warnings --strict counts, and a broken link then passes
.venv/bin/mkdocs build --strict --site-dir "$site"
rm -rf "$site"
.venv/bin/python -m pytest -n 2 -m "" -rs "$@"
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/test-as-user.sh
fi
