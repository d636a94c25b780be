"""Installs the Debian packages each command needs, and nothing else.

A fresh Debian 12 machine need not have even gcc, and has neither meson, ninja, Criterion, the
AArch64 cross compiler nor the Python packages the judging and report layers import. Each command
declares what it needs in one table (COMMAND_GROUPS below), and `coremod COMMAND` installs that
before it imports any module that needs it (commands/__init__.py); the missing ones are found
with dpkg-query and installed with apt-get, as root or through `sudo -n`
(never an interactive password prompt: CI has no stdin). `apt-get update` runs at most once per
process and only when something has to be installed.
"""
import os
import shutil
import subprocess

from coremodlib.errors import HarnessError

# The one table of what each command needs, in groups. Debian's packages are installed with
# --no-install-recommends, so a group names the -dev and cross libc packages that a Recommends
# would otherwise have brought (gcc-aarch64-linux-gnu recommends, but does not depend on,
# libc6-dev-arm64-cross: without it the foreign-architecture fixture cannot include <stdint.h>).
GROUPS = {
    # Building the project: impl, fixtures (fixtures/bad/foreign_arch.so is an AArch64 ELF built
    # with the cross compiler), the conformance suite and the benchmark runner. valgrind is here,
    # not only where instructions are counted, because the runner's build looks for
    # valgrind/callgrind.h when meson configures it: installed later, it would not be seen by the
    # existing build directory (the fresh-machine test found certify's build lacking it).
    "build": (
        "gcc",
        "libc6-dev",
        "meson",
        "ninja-build",
        "pkg-config",
        "libcriterion-dev",
        "gcc-aarch64-linux-gnu",
        "libc6-dev-arm64-cross",
        "valgrind",
        # The debugger's software breakpoints decode and relocate the displaced instruction
        # with Capstone (impl/debugger).
        "libcapstone-dev",
    ),
    # Judging the gates: the statistics (stats.py: numpy, scipy).
    "judge": ("python3-numpy", "python3-scipy"),
    # The report writers: report.html's template and plots.
    "reports": ("python3-jinja2", "python3-matplotlib"),
    # certify's whole-process benchmark.
    "whole-process": ("hyperfine",),
    # coremod coverage.
    "coverage": ("gcovr",),
    # The project's own tests, beyond all of the above: pytest, gcc 12's sanitizer runtimes, and
    # a headless browser for the HTML report's test. The AArch64 half of `test --arch` prepares
    # its own (qemu-user-static, binfmt-support, the arm64 C library and an arm64 Criterion
    # sysroot): cross/setup-aarch64.sh, which needs dpkg's foreign architecture first.
    "tests": ("python3-pytest", "libasan8", "libubsan1", "libtsan2", "chromium"),
    # A background load of N busy processes (background_load.py): calibrate --load and the
    # tests that start a load between two nights.
    "load": ("stress-ng",),
    # Building an earlier revision in a worktree of its own: gate --against REV, and nightly
    # against the last good commit.
    "revisions": ("git",),
    # The style checks of the tests (tests/test_style.py): the Python formatter and linter
    # (pyproject.toml, .flake8) and the C formatter (.clang-format).
    "style": ("black", "flake8", "clang-format"),
    # coremod fresh-machine: a minimal Debian root to run the README's commands in.
    "fresh-machine": ("mmdebstrap",),
}

# Which groups each command needs; `bootstrap` with no --for installs what the README's two
# commands (certify and test) need.
COMMAND_GROUPS = {
    "certify": ("build", "judge", "reports", "whole-process"),
    "gate": ("build", "judge", "reports", "whole-process", "revisions"),
    "nightly": ("build", "judge", "reports", "whole-process", "revisions"),
    "calibrate": ("build", "judge", "load"),
    "report": ("reports",),
    "coverage": ("build", "reports", "coverage"),
    "instructions": ("build", "judge"),
    "topology": ("build",),
    "test": (
        "build",
        "judge",
        "reports",
        "whole-process",
        "coverage",
        "tests",
        "load",
        "revisions",
        "style",
    ),
    "fresh-machine": ("fresh-machine",),
}
DEFAULT_COMMANDS = ("certify", "test")


def packages_for(*commands):
    """The packages the given commands need, each once, in table order."""
    names = []
    for command in commands:
        for group in COMMAND_GROUPS[command]:
            for package in GROUPS[group]:
                if package not in names:
                    names.append(package)
    return tuple(names)


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
        probe = run(
            ["sudo", "-n", "true"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if probe.returncode == 0:
            return ["sudo", "-n"]
    return None


def _apt_get(prefix, apt_args, progress, run):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = (
        [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", *apt_args]
        if prefix
        else ["apt-get", *apt_args]
    )
    progress.note("$ " + " ".join(cmd))
    result = run(cmd, env=env, stdin=subprocess.DEVNULL, check=False)
    return result.returncode == 0


def ensure_packages(packages, progress, run=subprocess.run, which=shutil.which, euid=None):
    """Installs whichever of `packages` are missing; HarnessError naming them if it cannot."""
    global _updated
    if not which("dpkg-query"):
        progress.note(
            "not a Debian system (no dpkg-query): not checking packages " + " ".join(packages)
        )
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
            f"available here. Install them yourself:\n  sudo apt-get install {names}"
        )
    progress.phase(f"installing missing packages: {names}")
    if not _updated:
        if not _apt_get(prefix, ["update", "-q"], progress, run):
            raise HarnessError(f"'apt-get update' failed; cannot install: {names}")
        _updated = True
    if not _apt_get(
        prefix, ["install", "-y", "-q", "--no-install-recommends", *missing], progress, run
    ):
        raise HarnessError(f"'apt-get install' failed for: {names}")
    still = missing_packages(missing, run=run)
    if still:
        raise HarnessError(f"packages still missing after apt-get install: {' '.join(still)}")
    return missing


def ensure_for(command, progress, **kwargs):
    return ensure_packages(packages_for(command), progress, **kwargs)


def plan(packages, run=subprocess.run, which=shutil.which, euid=None):
    """What ensure_packages would do, without doing it: (missing packages, the commands it would
    run, or None when it could not run them). Runs only dpkg-query."""
    if not which("dpkg-query"):
        return None, None
    missing = missing_packages(packages, run=run)
    if not missing:
        return [], []
    prefix = privilege_prefix(euid=euid, which=which, run=run)
    if prefix is None:
        return missing, None
    return missing, [
        [*prefix, "apt-get", "update", "-q"],
        [*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
    ]
