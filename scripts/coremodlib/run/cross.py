"""The AArch64 side of `coremod test --arch`: preparing this machine to build coremod for AArch64
and run the result under qemu-user-static, and which tests each --arch value selects.

On an x86-64 machine the AArch64 build uses cross/aarch64-linux-gnu.ini and its programs run under
qemu-user through binfmt_misc (cross/setup-aarch64.sh prepares both, and Criterion for arm64; why
Criterion is unpacked into a private sysroot rather than installed through apt is in that
script's header). On an AArch64 machine the same tests build natively and need no emulator.
"""
import os
import shutil
import subprocess

from coremodlib.machine import elfmachine
from coremodlib import paths
from coremodlib.errors import HarnessError

ARCHES = ("native", "aarch64", "all")
DEFAULT_ARCH = "native"
CROSS_FILE = os.path.join(paths.REPO_ROOT, "cross", "aarch64-linux-gnu.ini")
SETUP_SCRIPT = os.path.join(paths.REPO_ROOT, "cross", "setup-aarch64.sh")
SYSROOT = "/opt/coremod-aarch64"
BUILD_NAME = "aarch64"  # build_root()/aarch64, beside the native build/coremod
MARKER = "aarch64"  # pytest marker of the tests that build and run for AArch64


def emulated():
    """True when AArch64 programs need qemu-user here (this machine is not AArch64)."""
    return elfmachine.is_foreign("aarch64")


def cross_file():
    """The meson cross file of the AArch64 build, or None when it builds natively."""
    return CROSS_FILE if emulated() else None


def missing_setup(sysroot=SYSROOT, binfmt="/proc/sys/fs/binfmt_misc/qemu-aarch64"):
    """What the AArch64 tests need and this machine lacks (empty when ready)."""
    if not emulated():
        return []
    missing = []
    if not os.path.exists(binfmt):
        missing.append(f"qemu-aarch64 registered with binfmt_misc ({binfmt})")
    pc = os.path.join(sysroot, "usr", "lib", "aarch64-linux-gnu", "pkgconfig", "criterion.pc")
    if not os.path.exists(pc):
        missing.append(f"Criterion for arm64 under {sysroot} ({pc})")
    capstone = os.path.join("/usr", "lib", "aarch64-linux-gnu", "pkgconfig", "capstone.pc")
    if not os.path.exists(capstone):
        missing.append(f"Capstone for arm64, libcapstone-dev:arm64 ({capstone})")
    missing += [
        f"{tool} on PATH"
        for tool in ("aarch64-linux-gnu-gcc", "qemu-aarch64-static")
        if shutil.which(tool) is None
    ]
    return missing


def prepare(progress):
    """Runs cross/setup-aarch64.sh (idempotent: installs what is missing, registers qemu with
    binfmt_misc, unpacks arm64 Criterion, checks a Criterion program runs). HarnessError when it
    cannot."""
    if not emulated():
        return
    progress.phase("preparing the AArch64 cross build and qemu-user (cross/setup-aarch64.sh)")
    result = subprocess.run(
        ["sh", SETUP_SCRIPT, SYSROOT],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise HarnessError(
            "cross/setup-aarch64.sh failed (it needs root or sudo -n, Debian's "
            "package archive and binfmt_misc):\n" + result.stdout[-3000:]
        )
    progress.note(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "ready")


def marker_expression(arch, fast):
    """The pytest -m expression selecting the tests of `arch` (with --fast: not the slow ones)."""
    terms = []
    if arch == "native":
        terms.append(f"not {MARKER}")
    elif arch == "aarch64":
        terms.append(MARKER)
    elif arch != "all":
        raise HarnessError(f"unknown --arch {arch!r} (one of {', '.join(ARCHES)})")
    if fast:
        terms.append("not slow")
    return " and ".join(terms) or None
