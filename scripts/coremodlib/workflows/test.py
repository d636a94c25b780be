"""`coremod test`: the project's own tests (pytest on tests/, under Debian's python3).

--fast deselects the tests marked `slow` (the sanitizer builds and the valgrind run). --arch
chooses the architecture: `native` (default) the tests on this machine, `aarch64` the AArch64
build run under qemu-user (tests marked `aarch64`, cross.py), `all` both.
"""
import os
import subprocess
import sys

from coremodlib.run import cross
from coremodlib import paths

PYTHON = "/usr/bin/python3"


def pytest_command(keyword=None, fast=False, extra=(), arch=cross.DEFAULT_ARCH):
    # -I: the interpreter's own environment only (no PYTHONPATH, no user site); tests/conftest.py
    # puts the harness packages on sys.path.
    cmd = [
        PYTHON if os.path.exists(PYTHON) else sys.executable,
        "-I",
        "-m",
        "pytest",
        paths.TESTS_DIR,
        "-ra",
        # The slowest tests, so that a run that grows towards CI's 45 minutes says where.
        "--durations=20",
    ]
    if keyword:
        cmd += ["-k", keyword]
    markers = cross.marker_expression(arch, fast)
    if markers:
        cmd += ["-m", markers]
    cmd += list(extra)
    return cmd


def run(*, arch, progress, keyword=None, fast=False, pytest_args=()):
    """`coremod test`: pytest on tests/ (`keyword`: -k; `fast`: not the slow tests; `arch`:
    native, aarch64 or all); its exit code."""
    if arch in ("aarch64", "all"):
        cross.prepare(progress)
    cmd = pytest_command(keyword, fast, pytest_args, arch)
    progress.phase("$ " + " ".join(cmd))
    progress.finish()
    return subprocess.run(cmd, cwd=paths.REPO_ROOT, check=False).returncode
