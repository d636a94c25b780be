"""Facts about the machine a certification ran on, recorded so that numbers can be compared later.

Each fact has a parser that takes text (testable on recorded inputs) and a reader that finds the
text on this machine. A fact that cannot be read is "unknown", never a guess.
"""
import json
import os
import platform
import shutil
import subprocess

from . import paths

UNKNOWN = "unknown"


def read_text(path):
    """The text of a small system file (/proc, /sys, /etc), or None when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def _output(cmd, cwd=None):
    try:
        result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def cpu_model_from_cpuinfo(text):
    """The CPU model name from /proc/cpuinfo text (x86 'model name'; Arm 'Hardware'/'CPU part')."""
    fields = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() not in fields:
            fields[key.strip()] = value.strip()
    for key in ("model name", "Hardware", "Model", "cpu model", "Processor"):
        if fields.get(key):
            return fields[key]
    if fields.get("CPU implementer") and fields.get("CPU part"):
        return f"implementer {fields['CPU implementer']} part {fields['CPU part']}"
    return UNKNOWN


def hypervisor_flag(cpuinfo_text):
    """True when the CPU flags include 'hypervisor' (x86 guests)."""
    for line in (cpuinfo_text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == "flags":
            return "hypervisor" in value.split()
    return False


def os_name_from_os_release(text):
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key == "PRETTY_NAME":
            return value.strip().strip('"')
    return UNKNOWN


def virtualization(cpuinfo_text):
    """systemd-detect-virt's answer when available, else the CPU's hypervisor flag and the DMI
    vendor."""
    if shutil.which("systemd-detect-virt"):
        # Prints the technology ("kvm", "docker") with exit 0, or "none" with exit 1.
        result = subprocess.run(["systemd-detect-virt"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
                                check=False)
        if result.stdout.strip():
            return result.stdout.strip()
    vendor = (read_text("/sys/class/dmi/id/sys_vendor") or "").strip()
    product = (read_text("/sys/class/dmi/id/product_name") or "").strip()
    if hypervisor_flag(cpuinfo_text):
        detail = " ".join(x for x in (vendor, product) if x)
        return f"hypervisor ({detail})" if detail else "hypervisor"
    return "none detected"


def compiler(build_dir=None):
    """The C compiler meson configured in `build_dir` (full version line), else `cc --version`."""
    if build_dir and os.path.isdir(os.path.join(build_dir, "meson-info")):
        out = _output(["meson", "introspect", "--compilers", build_dir])
        if out:
            try:
                host_c = json.loads(out)["host"]["c"]
                return host_c.get("full_version") or f"{host_c['id']} {host_c['version']}"
            except (ValueError, KeyError):
                pass
    out = _output(["cc", "--version"])
    return out.splitlines()[0].strip() if out else UNKNOWN


def git_commit(repo=paths.REPO_ROOT):
    """(commit, dirty): the checked-out commit, and whether tracked files differ from it."""
    out = _output(["git", "-C", repo, "rev-parse", "HEAD"])
    if not out:
        return UNKNOWN, None
    status = _output(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"])
    return out.strip(), (bool(status.strip()) if status is not None else None)


def usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 0


def collect(build_dir=None):
    cpuinfo = read_text("/proc/cpuinfo")
    commit, dirty = git_commit()
    uname = platform.uname()
    return {
        "cpu_model": cpu_model_from_cpuinfo(cpuinfo),
        "cores": os.cpu_count() or 0,
        "cores_usable": usable_cores(),
        "machine": uname.machine,
        "kernel": f"{uname.system} {uname.release}",
        "os": os_name_from_os_release(read_text("/etc/os-release")),
        "compiler": compiler(build_dir),
        "commit": commit,
        "commit_dirty": dirty,
        "virtualization": virtualization(cpuinfo),
        "python": platform.python_version(),
    }
