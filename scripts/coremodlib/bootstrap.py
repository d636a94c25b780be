"""Installs the Debian packages each command needs, and nothing else.

A fresh Debian 12 machine has gcc but not meson, ninja, Criterion or the AArch64 cross compiler
(the fixtures build a foreign-architecture ELF with it). Each command declares what it needs; the
missing ones are found with dpkg-query and installed with apt-get, as root or through `sudo -n`
(never an interactive password prompt: CI has no stdin). `apt-get update` runs at most once per
process and only when something has to be installed.
"""
import os
import shutil
import subprocess

from .errors import HarnessError

# What building the project needs (impl, fixtures, conformance suite, benchmarks).
BUILD_PACKAGES = (
    "gcc",
    "libc6-dev",
    "meson",
    "ninja-build",
    "pkg-config",
    "libcriterion-dev",
    "gcc-aarch64-linux-gnu",  # fixtures/bad/foreign_arch.so
)

# What certify's verdicts, reports and extra measurements need: the gate statistics (numpy,
# scipy), the HTML report (jinja2 template, matplotlib plots) and the whole-process benchmark
# (hyperfine). valgrind (--metric instructions) and gcovr (coremod coverage) are installed by the
# commands that use them.
REPORT_PACKAGES = (
    "python3-numpy",      # the gate statistics (stats.py)
    "python3-scipy",      # confidence intervals, Mann-Whitney U (stats.py)
    "python3-jinja2",
    "python3-matplotlib",
    "hyperfine",
)

# The project's own tests also run pytest, valgrind and the sanitizer runtimes of gcc 12, the
# coverage build (gcovr) and the HTML report in a headless browser (chromium).
TEST_PACKAGES = BUILD_PACKAGES + REPORT_PACKAGES + (
    "python3-pytest",
    "valgrind",
    "libasan8",
    "libubsan1",
    "libtsan2",
    "gcovr",
    "chromium",
)

PACKAGES_BY_COMMAND = {
    "certify": BUILD_PACKAGES + REPORT_PACKAGES,
    "test": TEST_PACKAGES,
    "bootstrap": TEST_PACKAGES,
}

_updated = False  # apt-get update already ran in this process


def installed_packages(packages, run=subprocess.run):
    """The subset of `packages` that dpkg reports as installed ("ii")."""
    result = run(
        ["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\n", *packages],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # unknown names are reported there; they count as missing
        text=True,
        check=False,
    )
    found = set()
    for line in result.stdout.splitlines():
        name, _, status = line.partition("\t")
        if status.startswith("ii"):
            found.add(name.split(":", 1)[0])
    return found


def missing_packages(packages, run=subprocess.run):
    found = installed_packages(packages, run=run)
    return [p for p in packages if p not in found]


def privilege_prefix(euid=None, which=shutil.which, run=subprocess.run):
    """[] when root, ["sudo", "-n"] when passwordless sudo works, None when neither."""
    euid = os.geteuid() if euid is None else euid
    if euid == 0:
        return []
    if which("sudo"):
        probe = run(["sudo", "-n", "true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    check=False)
        if probe.returncode == 0:
            return ["sudo", "-n"]
    return None


def _apt_get(prefix, args, progress, run):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", *args] if prefix else \
        ["apt-get", *args]
    progress.note("$ " + " ".join(cmd))
    result = run(cmd, env=env, stdin=subprocess.DEVNULL, check=False)
    return result.returncode == 0


def ensure_packages(packages, progress, run=subprocess.run, which=shutil.which, euid=None):
    """Installs whichever of `packages` are missing; HarnessError naming them if it cannot."""
    global _updated
    if not which("dpkg-query"):
        progress.note("not a Debian system (no dpkg-query): not checking packages "
                      + " ".join(packages))
        return []
    missing = missing_packages(packages, run=run)
    if not missing:
        return []
    names = " ".join(missing)
    prefix = privilege_prefix(euid=euid, which=which, run=run)
    if prefix is None:
        raise HarnessError(
            f"missing Debian packages: {names}\n"
            f"coremod installs them with apt-get as root or through 'sudo -n', and neither is "
            f"available here. Install them yourself:\n  sudo apt-get install {names}")
    progress.phase(f"installing missing packages: {names}")
    if not _updated:
        if not _apt_get(prefix, ["update", "-q"], progress, run):
            raise HarnessError(f"'apt-get update' failed; cannot install: {names}")
        _updated = True
    if not _apt_get(prefix, ["install", "-y", "-q", "--no-install-recommends", *missing],
                    progress, run):
        raise HarnessError(f"'apt-get install' failed for: {names}")
    still = missing_packages(missing, run=run)
    if still:
        raise HarnessError(f"packages still missing after apt-get install: {' '.join(still)}")
    return missing


def ensure_for(command, progress, **kwargs):
    return ensure_packages(PACKAGES_BY_COMMAND[command], progress, **kwargs)
