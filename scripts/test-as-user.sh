#!/usr/bin/env bash
# The sandbox, attack and intake tests a second time as an ordinary user (run as root): a system
# user is created if missing, gets a fresh copy of this checkout in its home, builds its own venv
# with Debian's python3 (root's Python may sit where other users cannot read) and runs the tests
# there, so every layer is proven without root's privileges too (a user namespace instead), and
# the service's workers (which should not run as root) survive a worker's SIGKILL as that user.
set -euo pipefail
cd "$(dirname "$0")/.."
USER_NAME="${GRADER_TEST_USER:-grader-test}"
if [ "$(id -u)" -ne 0 ]; then
  echo "test-as-user.sh creates a user: run it as root" >&2
  exit 1
fi
id "$USER_NAME" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$USER_NAME"
HOME_DIR="$(getent passwd "$USER_NAME" | cut -d: -f6)"
COPY="$HOME_DIR/checkout"
rm -rf "$COPY"
mkdir -p "$COPY"
tar --exclude=./.venv --exclude=./.git --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -xf - -C "$COPY"
chown -R "$USER_NAME:" "$COPY"
TESTS=(tests/test_doctor.py tests/test_sandbox.py tests/test_attacks.py tests/test_intake_attacks.py
       tests/test_spares.py tests/test_archives.py tests/test_zygote_isolation.py tests/test_zygote.py tests/test_channel_numbers.py
       "tests/test_service_faults.py::test_a_sandbox_dies_with_the_process_that_started_it"
       "tests/test_service_faults.py::test_a_worker_killed_mid_grading_loses_nothing")
su "$USER_NAME" -s /bin/bash -c "set -euo pipefail; cd '$COPY'
  /usr/bin/python3 -m venv .venv
  .venv/bin/pip install -q -e . pytest pytest-xdist httpx
  echo \"unprivileged pass as \$(id -un) (uid \$(id -u)):\"
  .venv/bin/grader doctor
  .venv/bin/python -m pytest -n 2 -m \"\" -rs ${TESTS[*]}"
