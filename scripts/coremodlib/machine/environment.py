"""Facts about the machine a certification ran on, recorded so that numbers can be compared later.

Each fact has a parser that takes text (testable on recorded inputs) and a reader that finds the
text on this machine. A fact that cannot be read is "unknown", never a guess.
"""
import collections
import functools
import json
import os
import platform
import shutil
import subprocess

from coremodlib import paths

UNKNOWN = "unknown"
NONE = "none"  # a layer of virtualisation that is not there (systemd-detect-virt's word)


def read_text(path):
    """The text of a small system file (/proc, /sys, /etc), or None when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def _output(cmd, cwd=None):
    try:
        result = subprocess.run(
            cmd,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
            timeout=30,
        )
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


# The two layers a run may sit in: a virtual machine (its hypervisor schedules the virtual CPUs:
# noise.py warns about it) and a container inside it (no scheduling layer of its own). Both are
# facts of one machine, e.g. a docker container on a KVM guest.
Virtualization = collections.namedtuple("Virtualization", "vm container")


def virtualization_from(vm_answer, container_answer, cpuinfo_text, dmi_detail=""):
    """The Virtualization from systemd-detect-virt's answers to --vm and --container, each a
    technology or "none". None means the tool is absent: then the CPU's hypervisor flag tells a
    VM (named by `dmi_detail`, the DMI vendor and product), and the container is unknown."""
    if vm_answer is not None:
        vm = vm_answer
    elif hypervisor_flag(cpuinfo_text):
        vm = f"hypervisor ({dmi_detail})" if dmi_detail else "hypervisor"
    else:
        vm = NONE
    return Virtualization(vm, container_answer if container_answer is not None else UNKNOWN)


def _detect_virt(layer):
    """systemd-detect-virt --vm or --container: the technology ("kvm", "docker") or "none";
    None when the tool is absent."""
    if not shutil.which("systemd-detect-virt"):
        return None
    # Prints the technology with exit 0, or "none" with exit 1.
    result = subprocess.run(
        ["systemd-detect-virt", f"--{layer}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        check=False,
    )
    return result.stdout.strip() or NONE


@functools.cache
def virtualization():
    """This machine's Virtualization. Read once per process, so that the environment and the
    noise facts of a record (noise.py) state the same one."""
    dmi = " ".join(
        x
        for x in (
            (read_text(f"/sys/class/dmi/id/{name}") or "").strip()
            for name in ("sys_vendor", "product_name")
        )
        if x
    )
    return virtualization_from(
        _detect_virt("vm"), _detect_virt("container"), read_text("/proc/cpuinfo"), dmi
    )


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
    virt = virtualization()
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
        "virtualization": virt.vm,
        "container": virt.container,
        "python": platform.python_version(),
    }
