"""`grader doctor` on this machine: every sandbox layer takes effect, as root and as an ordinary
user (CI runs this file both ways). A machine that truly lacks a layer names it in
$GRADER_MISSING_LAYERS_OK; nothing is skipped silently."""

import os

from grader.run.sandbox.doctor import probe
from grader.run.sandbox.harden import _why_no_user_namespaces, namespaces


def test_every_sandbox_layer_takes_effect_here():
    allowed = {
        name.strip() for name in os.environ.get("GRADER_MISSING_LAYERS_OK", "").split(",") if name.strip()
    }
    missing = {layer.name: layer.detail for layer in probe() if not layer.active}
    assert set(missing) <= allowed, missing


def test_namespaces_say_how_they_were_made():
    found = namespaces()
    if found.wrapper is not None:
        expected = "as root" if os.geteuid() == 0 else "in a user namespace mapped to the caller"
        assert found.detail == expected
        assert ("--user" in found.wrapper) == (os.geteuid() != 0)
    else:
        assert found.detail, "a missing layer must say why"


def test_a_kernel_that_forbids_user_namespaces_is_named(tmp_path):
    """This machine allows them (and /proc/sys is read-only here), so the kernel's settings are
    stood in for by files laid out like /proc/sys."""
    (tmp_path / "kernel").mkdir()
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "max_user_namespaces").write_text("96365\n")
    assert _why_no_user_namespaces(tmp_path, euid=1000) is None
    (tmp_path / "kernel" / "apparmor_restrict_unprivileged_userns").write_text("1\n")
    why = _why_no_user_namespaces(tmp_path, euid=1000)
    assert why is not None and "AppArmor" in why
    (tmp_path / "user" / "max_user_namespaces").write_text("0\n")
    assert "user.max_user_namespaces = 0" in (_why_no_user_namespaces(tmp_path, euid=1000) or "")
    assert _why_no_user_namespaces(tmp_path, euid=0) is None, "root needs no user namespace"
