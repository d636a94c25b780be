"""Machine facts (coremodlib.machine.environment), package bootstrap decisions
(coremodlib.run.bootstrap) and build-option comparison (coremodlib.run.build), on recorded inputs
and stand-in commands."""
import subprocess

import pytest

from coremodlib.run import bootstrap, build
from coremodlib.machine import environment
from coremodlib.errors import HarnessError
from coremodlib.progress import Silent

X86_CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B13
flags\t\t: fpu vme hypervisor sse2

processor\t: 1
model name\t: AMD EPYC 7B13
"""
ARM_CPUINFO = "processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n"


def test_cpu_model_from_cpuinfo():
    assert environment.cpu_model_from_cpuinfo(X86_CPUINFO) == "AMD EPYC 7B13"
    assert environment.cpu_model_from_cpuinfo(ARM_CPUINFO) == "implementer 0x41 part 0xd0c"
    assert environment.cpu_model_from_cpuinfo("") == "unknown"
    assert environment.cpu_model_from_cpuinfo(None) == "unknown"


def test_hypervisor_flag():
    assert environment.hypervisor_flag(X86_CPUINFO)
    assert not environment.hypervisor_flag(ARM_CPUINFO)


@pytest.mark.parametrize(
    "vm, container, cpuinfo, dmi, expected",
    [
        # a docker container on a KVM guest: both layers, one record
        ("kvm", "docker", X86_CPUINFO, "QEMU", ("kvm", "docker")),
        ("none", "none", X86_CPUINFO, "", ("none", "none")),
        # without systemd-detect-virt: the hypervisor flag, named by DMI; the container is unknown
        (None, None, X86_CPUINFO, "QEMU Standard PC", ("hypervisor (QEMU Standard PC)", "unknown")),
        (None, None, ARM_CPUINFO, "", ("none", "unknown")),
    ],
)
def test_virtualization_from(vm, container, cpuinfo, dmi, expected):
    assert tuple(environment.virtualization_from(vm, container, cpuinfo, dmi)) == expected


def test_os_release():
    text = 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'
    assert environment.os_name_from_os_release(text) == "Debian GNU/Linux 12 (bookworm)"
    assert environment.os_name_from_os_release("") == "unknown"


def test_collect_on_this_machine_gives_every_fact():
    facts = environment.collect()
    for key in (
        "cpu_model",
        "cores",
        "kernel",
        "compiler",
        "commit",
        "os",
        "virtualization",
        "container",
    ):
        assert facts[key] not in (None, ""), key
    assert facts["cores"] >= 1


# ---- bootstrap -----------------------------------------------------------------------------


class FakeSystem:
    """Stands in for dpkg-query, sudo and apt-get; records what would have run."""

    def __init__(self, installed, apt_ok=True, sudo_ok=False):
        self.installed = set(installed)
        self.apt_ok = apt_ok
        self.sudo_ok = sudo_ok
        self.commands = []

    def run(self, cmd, **_kwargs):
        self.commands.append(cmd)
        if cmd[0] == "dpkg-query":
            out = "".join(f"{p}\tii \n" for p in cmd[3:] if p in self.installed)
            return subprocess.CompletedProcess(cmd, 0 if out else 1, stdout=out)
        if cmd[:3] == ["sudo", "-n", "true"]:
            return subprocess.CompletedProcess(cmd, 0 if self.sudo_ok else 1)
        if "install" in cmd and self.apt_ok:
            self.installed.update(
                p
                for p in cmd
                if not p.startswith("-")
                and p not in ("sudo", "env", "apt-get", "install", "DEBIAN_FRONTEND=noninteractive")
            )
        return subprocess.CompletedProcess(cmd, 0 if self.apt_ok else 100)

    @staticmethod
    def which(name):
        return f"/usr/bin/{name}"


@pytest.fixture(autouse=True)
def fresh_update_flag(monkeypatch):
    monkeypatch.setattr(bootstrap, "_updated", False)


def test_nothing_runs_when_everything_is_installed():
    fake = FakeSystem(installed=bootstrap.packages_for("test"))
    assert bootstrap.ensure_for("test", Silent(), run=fake.run, which=fake.which, euid=0) == []
    assert [c[0] for c in fake.commands] == ["dpkg-query"]


def test_root_installs_missing_with_one_update():
    fake = FakeSystem(installed=["gcc", "libc6-dev"])
    installed = bootstrap.ensure_packages(
        ["gcc", "meson", "ninja-build"], Silent(), run=fake.run, which=fake.which, euid=0
    )
    assert installed == ["meson", "ninja-build"]
    apt = [c for c in fake.commands if c[0] == "apt-get"]
    assert apt[0] == ["apt-get", "update", "-q"]
    assert apt[1][-2:] == ["meson", "ninja-build"] and "-y" in apt[1]
    bootstrap.ensure_packages(["valgrind"], Silent(), run=fake.run, which=fake.which, euid=0)
    assert sum(1 for c in fake.commands if c[:2] == ["apt-get", "update"]) == 1


def test_non_root_uses_sudo_n():
    fake = FakeSystem(installed=[], sudo_ok=True)
    bootstrap.ensure_packages(["meson"], Silent(), run=fake.run, which=fake.which, euid=1000)
    install = [c for c in fake.commands if "install" in c][0]
    assert install[:4] == ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"]


def test_no_root_no_sudo_names_the_packages():
    fake = FakeSystem(installed=["gcc"], sudo_ok=False)
    with pytest.raises(HarnessError, match="meson libcriterion-dev"):
        bootstrap.ensure_packages(
            ["gcc", "meson", "libcriterion-dev"],
            Silent(),
            run=fake.run,
            which=fake.which,
            euid=1000,
        )
    assert not any(c[0] == "apt-get" for c in fake.commands)


def test_failed_install_is_a_harness_error():
    fake = FakeSystem(installed=[], apt_ok=False)
    with pytest.raises(HarnessError, match="apt-get"):
        bootstrap.ensure_packages(["meson"], Silent(), run=fake.run, which=fake.which, euid=0)


def test_commands_declare_what_they_need():
    certify = set(bootstrap.packages_for("certify"))
    assert {
        "libcriterion-dev",
        "gcc-aarch64-linux-gnu",
        "python3-numpy",
        "python3-scipy",
        "python3-jinja2",
        "python3-matplotlib",
    } <= certify
    assert {"python3-pytest", "valgrind", "gcovr", "chromium"} <= set(
        bootstrap.packages_for("test")
    )
    assert bootstrap.packages_for("fresh-machine") == ("mmdebstrap",)


def test_every_command_has_a_row_in_the_table():
    from coremodlib import commands

    for module in commands.ALL:
        if module.NAME != "bootstrap":
            assert module.NAME in bootstrap.COMMAND_GROUPS, module.NAME
    assert set(bootstrap.COMMAND_GROUPS) <= set(commands.BY_NAME)
    for groups in bootstrap.COMMAND_GROUPS.values():
        assert set(groups) <= set(bootstrap.GROUPS)


def test_cross_compiler_comes_with_its_c_library():
    """--no-install-recommends leaves libc6-dev-arm64-cross out of gcc-aarch64-linux-gnu's
    install; without it the foreign-architecture fixture cannot include <stdint.h>."""
    build_group = bootstrap.GROUPS["build"]
    assert "gcc-aarch64-linux-gnu" in build_group and "libc6-dev-arm64-cross" in build_group


def test_plan_names_missing_packages_and_the_commands_without_running_them():
    fake = FakeSystem(installed=["gcc"])
    missing, cmds = bootstrap.plan(["gcc", "meson"], run=fake.run, which=fake.which, euid=0)
    assert missing == ["meson"]
    assert cmds[-1][-1] == "meson" and "--no-install-recommends" in cmds[-1]
    assert not any(c[0] == "apt-get" for c in fake.commands)
    fake = FakeSystem(installed=[], sudo_ok=False)
    assert bootstrap.plan(["meson"], run=fake.run, which=fake.which, euid=1000) == (["meson"], None)


def test_real_dpkg_query_sees_an_installed_package():
    # dpkg itself is always installed on Debian; a made-up name never is
    assert bootstrap.missing_packages(["dpkg", "coremod-no-such-package"]) == [
        "coremod-no-such-package"
    ]


# ---- build options -------------------------------------------------------------------------


def test_option_text_matches_meson_spelling():
    assert build.option_text(True) == "true"
    assert build.option_text(["address", "undefined"]) == "address,undefined"
    assert build.option_text("release") == "release"


def test_changed_options_only_lists_differences():
    current = {"buildtype": "debugoptimized", "b_sanitize": "none", "b_lundef": "true"}
    assert build.changed_options({"buildtype": "debugoptimized"}, current) == {}
    assert build.changed_options({"buildtype": "release", "b_lundef": False}, current) == {
        "buildtype": "release",
        "b_lundef": False,
    }
