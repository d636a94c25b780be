"""The fresh-machine test (coremod fresh-machine, freshroot.py): its planning on synthetic input,
and, where this machine allows it (root, mmdebstrap reachable), a real fresh root: it has none of
the tools a developer's machine has, the clone is the committed HEAD, and an interrupted run
leaves no mount and no work directory behind.

The full run of the README's commands is CI's (.ci/run), not a test here: it takes as long as the
tests themselves and runs them again.
"""
import os
import shutil
import signal
import subprocess
import time

import pytest

from conftest import COREMOD, REPO_ROOT
from coremodlib.run import freshroot
from coremodlib.errors import HarnessError


def read(name):
    with open(os.path.join(REPO_ROOT, name), encoding="utf-8") as f:
        return f.read()


def test_the_readme_commands_are_certify_and_test():
    commands = freshroot.readme_commands(read("README.md"))
    assert commands == ["./scripts/coremod certify", "./scripts/coremod test --arch all"]


def test_readme_commands_strips_comments_and_needs_a_block():
    text = "# t\n\n```sh\n./a x   # does a\n\n# a comment line\n./b\n```\n\n```sh\n./c\n```\n"
    assert freshroot.readme_commands(text) == ["./a x", "./b"]
    with pytest.raises(HarnessError, match="no ```sh code block"):
        freshroot.readme_commands("no code here\n")
    with pytest.raises(HarnessError, match="holds no command"):
        freshroot.readme_commands("```sh\n# only a comment\n```\n")


def test_sources_are_those_of_a_fresh_debian_12_install():
    lines = freshroot.sources("http://m/debian", "http://m/debian-security")
    assert lines == [
        "deb http://m/debian bookworm main",
        "deb http://m/debian bookworm-updates main",
        "deb http://m/debian-security bookworm-security main",
    ]
    cmd = freshroot.mmdebstrap_command("/c/r.tar", lines)
    assert cmd[:2] == ["mmdebstrap", "--variant=apt"] and "bookworm" in cmd and cmd[-3:] == lines


def test_pytest_summary_is_found_and_other_lines_are_not():
    lines = [
        "===== 3 failed, 600 passed, 2 skipped in 1033.21s (0:17:13) =====",
        "x",
        "=== short test summary info ===",
        "========== 12 passed in 0.51s ==========",
        "tail",
    ]
    assert freshroot.pytest_summary(lines) == "========== 12 passed in 0.51s =========="
    assert freshroot.pytest_summary(["=== short test summary info ===", "ok"]) is None


def test_namespace_script_mounts_inside_the_namespace_and_quotes_everything():
    script = freshroot.namespace_script(
        "/w/r o'ot",
        "/root/src/main",
        "./x 'a b'",
        apt_cache="/c/apt",
        env={"PATH": "/bin", "CI": "true"},
    )
    assert "mount -t proc proc '/w/r o'\\''ot/proc'" in script
    assert "mount --rbind /dev '/w/r o'\\''ot/dev'" in script
    assert "mount --bind '/c/apt' '/w/r o'\\''ot/var/cache/apt/archives'" in script
    last = script.strip().splitlines()[-1]
    assert last.startswith("exec chroot ") and "/usr/bin/env -i 'CI=true' 'PATH=/bin'" in last
    result = subprocess.run(["sh", "-n", "-c", script], check=False)
    assert result.returncode == 0


def test_chroot_environment_is_clean(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    env = freshroot.chroot_env()
    assert env["CI"] == "true" and "PYTHONPATH" not in env and env["HOME"] == "/root"
    assert env[freshroot.MARKER_VARIABLE] == "1"


# ---- a real fresh root ---------------------------------------------------------------------


def _real_root_unavailable():
    if os.geteuid() != 0:
        return "needs root (mmdebstrap, chroot, mounts)"
    if os.environ.get(freshroot.MARKER_VARIABLE):
        return "already inside a fresh root (the run that CI makes)"
    if not shutil.which("mmdebstrap") or not shutil.which("unshare"):
        return "mmdebstrap is not installed (coremod bootstrap --for fresh-machine)"
    return None


real_root = pytest.mark.skipif(
    _real_root_unavailable() is not None, reason=_real_root_unavailable() or ""
)


def _coremod_fresh(tmp_path, *args, **kwargs):
    return subprocess.Popen(
        [COREMOD, "fresh-machine", "--workdir", str(tmp_path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=REPO_ROOT,
        **kwargs,
    )


@real_root
def test_a_fresh_root_has_nothing_a_developer_machine_has(tmp_path):
    head = subprocess.run(
        ["git", "-C", REPO_ROOT, "rev-parse", "HEAD"], stdout=subprocess.PIPE, text=True, check=True
    ).stdout.strip()
    probe = (
        "for t in python3 gcc meson git; do command -v $t && echo HAS $t; done; "
        "echo CWD $(pwd); ls ..; test -x scripts/coremod && echo LAUNCHER; "
        "test -e /proc/self/status && test -e /dev/null && echo MOUNTED"
    )
    proc = _coremod_fresh(tmp_path, "--no-shared", "--command", probe, "--command", "exit 7")
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 1, out
    lines = out.splitlines()  # whole lines: the commands themselves are echoed too
    assert not [line for line in lines if line.startswith("HAS ")], out
    assert "LAUNCHER" in lines and "MOUNTED" in lines, out
    assert any(line.startswith("CWD /root/src/") for line in lines), out
    assert "shared" not in lines  # --no-shared: a user's own clone
    assert f"HEAD {head[:12]}" in out
    assert "exit 7: exit 7 in" in out and "FAILED: exit 7" in out
    assert os.listdir(tmp_path) == []
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        assert str(tmp_path) not in f.read()


@real_root
def test_an_interrupted_run_leaves_no_mount_and_no_directory(tmp_path):
    proc = _coremod_fresh(tmp_path, "--no-shared", "--command", "echo STARTED; sleep 600")
    deadline = time.monotonic() + 900
    for line in proc.stdout:
        if line.startswith("STARTED") or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert os.listdir(tmp_path) == []
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        assert str(tmp_path) not in f.read()
    left = subprocess.run(
        ["pgrep", "-f", "sleep 600"], stdout=subprocess.PIPE, text=True, check=False
    ).stdout.split()
    assert not left, f"the chroot's processes outlived the run: {left}"
