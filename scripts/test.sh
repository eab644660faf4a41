#!/usr/bin/env bash
# README's test command: Debian packages, the project's venv, the whole suite; then, when run as
# root (as CI is), the sandbox and attack tests again as an ordinary user.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
python3 -m venv .venv
.venv/bin/pip install -q -e ".[test]"
.venv/bin/python -m pytest -n 2 "$@"
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/test-as-user.sh
fi
