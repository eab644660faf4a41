#!/usr/bin/env bash
# The Debian packages the tests need, installed when missing (CI and a fresh machine run this as
# root; as another user it only reports what is missing). Nothing is skipped silently: a test that
# needs a missing package fails.
#   python3-venv     the unprivileged test pass builds a venv with Debian's python3
#   util-linux       unshare (network, PID and mount namespaces)
#   libseccomp2      the seccomp filter (pyseccomp loads it)
#   postgresql       the service's tests and benchmarks on PostgreSQL (scripts/postgres.sh starts
#                    a scratch cluster; the packaged cluster is not used)
#   chromium, chromium-driver   the browser tests (Selenium drives Debian's own; nothing is
#                    downloaded at run time)
set -euo pipefail
PACKAGES=(python3 python3-venv util-linux libseccomp2 postgresql chromium chromium-driver)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages (install them as root): ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
