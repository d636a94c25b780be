"""The architecture an ELF file is built for, and whether this machine runs it natively.

A candidate built for another architecture (an AArch64 libcoremod.so on this x86-64 machine) runs
under qemu-user through binfmt_misc: its conformance verdict is meaningful, its timings are the
emulator's. The harness reads the ELF header to tell the two apart rather than trusting a name.
"""
import platform

# e_machine values (ELF gABI) of the architectures coremod builds for, by the name uname uses.
_MACHINES = {62: "x86_64", 183: "aarch64"}
_UNAME_ALIASES = {"amd64": "x86_64", "arm64": "aarch64"}


def of_file(path):
    """ "x86_64", "aarch64", "elf-machine-N" for another ELF machine, or None when `path` is not a
    readable ELF file."""
    try:
        with open(path, "rb") as f:
            header = f.read(20)
    except OSError:
        return None
    if len(header) < 20 or header[:4] != b"\x7fELF" or header[5] not in (1, 2):
        return None
    order = "little" if header[5] == 1 else "big"
    number = int.from_bytes(header[18:20], order)
    return _MACHINES.get(number, f"elf-machine-{number}")


def host():
    """This machine's architecture in the same spelling."""
    machine = platform.machine().lower()
    return _UNAME_ALIASES.get(machine, machine)


def is_foreign(machine):
    """True when `machine` (as of_file spells it; None: not ELF) is not this machine's, so a
    program built for it runs here only under an emulator such as qemu-user."""
    return machine is not None and machine != host()


def is_emulated(path):
    """True when `path` is an ELF file for an architecture other than this machine's."""
    return is_foreign(of_file(path))
