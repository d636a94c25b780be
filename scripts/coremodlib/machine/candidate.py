"""The facts of a candidate library read from its file: where it is, its digest and size, the
architecture it was built for, and whether this machine runs it only under an emulator."""
import hashlib
import os

from coremodlib.machine import elfmachine


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def candidate_record(path, is_reference):
    machine = elfmachine.of_file(path)
    return {
        "path": os.path.abspath(path),
        "sha256": sha256_file(path),
        "size_bytes": os.path.getsize(path),
        "is_reference": is_reference,
        # The candidate's architecture (from its ELF header) and whether it ran under an
        # emulator (qemu-user through binfmt_misc) because it is not this machine's.
        "machine": machine,
        "emulated": elfmachine.is_foreign(machine),
    }
