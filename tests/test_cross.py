"""`coremod test --arch` selection, the ELF machine reader and the cross-build detection, without
building anything for AArch64 (tests/test_aarch64.py does that)."""
import os

import pytest

from coremodlib.run import build, cross
from coremodlib.machine import elfmachine
from coremodlib.workflows import test as selftest
from coremodlib.errors import HarnessError


@pytest.mark.parametrize(
    "arch, fast, expected",
    [
        ("native", False, "not aarch64"),
        ("native", True, "not aarch64 and not slow"),
        ("aarch64", False, "aarch64"),
        ("aarch64", True, "aarch64 and not slow"),
        ("all", False, None),
        ("all", True, "not slow"),
    ],
)
def test_arch_selects_the_marked_tests(arch, fast, expected):
    assert cross.marker_expression(arch, fast) == expected
    cmd = selftest.pytest_command(fast=fast, arch=arch)
    pytest_args = cmd[cmd.index("pytest") + 1 :]  # after `python3 -I -m pytest`
    if expected is None:
        assert "-m" not in pytest_args
    else:
        assert pytest_args[pytest_args.index("-m") + 1] == expected


def test_unknown_arch_is_a_harness_error():
    with pytest.raises(HarnessError, match="riscv64"):
        cross.marker_expression("riscv64", False)


def _elf(tmp_path, name, machine, data=1):
    header = bytearray(64)
    header[:4] = b"\x7fELF"
    header[4], header[5] = 2, data
    header[18:20] = machine.to_bytes(2, "little" if data == 1 else "big")
    path = tmp_path / name
    path.write_bytes(bytes(header))
    return str(path)


def test_elf_machine_of_files(tmp_path):
    assert elfmachine.of_file(_elf(tmp_path, "x", 62)) == "x86_64"
    assert elfmachine.of_file(_elf(tmp_path, "a", 183)) == "aarch64"
    assert elfmachine.of_file(_elf(tmp_path, "b", 183, data=2)) == "aarch64"
    assert elfmachine.of_file(_elf(tmp_path, "r", 243)) == "elf-machine-243"
    text = tmp_path / "t"
    text.write_text("not an ELF file at all")
    assert elfmachine.of_file(str(text)) is None
    assert elfmachine.of_file(str(tmp_path / "absent")) is None
    assert elfmachine.of_file("/bin/sh") == elfmachine.host()
    assert not elfmachine.is_emulated("/bin/sh")
    other = "aarch64" if elfmachine.host() == "x86_64" else "x86_64"
    assert elfmachine.is_emulated(_elf(tmp_path, "o", 183 if other == "aarch64" else 62))


def test_a_cross_build_directory_is_recognised(tmp_path):
    private = tmp_path / "meson-private"
    private.mkdir()
    (private / "cmd_line.txt").write_text(
        "[options]\nbuildtype = debugoptimized\n\n[properties]\n"
        "cross_file = ['/src/cross/aarch64-linux-gnu.ini']\n"
    )
    assert build._is_cross(str(tmp_path))
    (private / "cmd_line.txt").write_text("[options]\nbuildtype = debugoptimized\n")
    assert not build._is_cross(str(tmp_path))
    assert not build._is_cross(str(tmp_path / "none"))


def test_missing_setup_names_what_is_missing(tmp_path):
    if not cross.emulated():
        pytest.skip("AArch64 machine: nothing to set up")
    missing = cross.missing_setup(sysroot=str(tmp_path), binfmt=str(tmp_path / "qemu-aarch64"))
    assert any("binfmt_misc" in m for m in missing)
    assert any("Criterion for arm64" in m for m in missing)
    assert os.path.isabs(cross.CROSS_FILE) and os.path.exists(cross.CROSS_FILE)
