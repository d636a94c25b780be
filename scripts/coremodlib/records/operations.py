"""The benchmark operations, read from the one list the runner is built from
(perf/bench/bench_operations.h, `coremod-bench --list` prints the same rows).

Everything the command needs to know about an operation is derived here: which families
--metric instructions counts, which first calls are measured in a family of their own, which
operations a budget may gate. Nothing else in scripts/ spells an operation list.
"""
import collections
import os
import re

from coremodlib import paths

HEADER = os.path.join(paths.REPO_ROOT, "perf", "bench", "bench_operations.h")
KINDS = ("time", "every_sample", "cold")
COLD_SUFFIX = "_cold"

Operation = collections.namedtuple("Operation", "name family kind countable")

_ROW = re.compile(r"^\s*X\(\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*\)")


def _macro_rows(text, macro):
    """The X(...) rows of `#define macro(X)` in `text`, each a tuple of its three fields."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.startswith(f"#define {macro}(X)")), None
    )
    if start is None:
        raise ValueError(f"{HEADER}: no #define {macro}(X)")
    rows = []
    for line in lines[start + 1 :]:
        match = _ROW.match(line)
        if match:
            rows.append(match.groups())
        if not line.rstrip().endswith("\\"):
            break
    return rows


def parse(text):
    """[Operation] of a bench_operations.h text, in the list's order."""
    countable = {
        family: flag == "COUNTABLE" for family, _copies, flag in _macro_rows(text, "BENCH_FAMILIES")
    }
    operations = []
    for name, family, kind in _macro_rows(text, "BENCH_OPERATIONS"):
        if family not in countable:
            raise ValueError(f"{HEADER}: {name}'s family {family} is not in BENCH_FAMILIES")
        if kind.lower() not in KINDS:
            raise ValueError(
                f"{HEADER}: {name}'s kind {kind} is not one of "
                f"{', '.join(k.upper() for k in KINDS)}"
            )
        operations.append(Operation(name, family, kind.lower(), countable[family]))
    return operations


def load():
    with open(HEADER, encoding="utf-8") as f:
        return parse(f.read())


ALL = tuple(load())
BY_NAME = {op.name: op for op in ALL}
# the families --metric instructions counts, each named by its timed operation (one process each)
COUNTABLE = tuple(op.name for op in ALL if op.countable and op.kind == "time")


def steady_twin(op):
    """The steady operation whose first call the cold operation `op` measures, or None."""
    if op.kind != "cold" or not op.name.endswith(COLD_SUFFIX):
        return None
    return BY_NAME.get(op.name[: -len(COLD_SUFFIX)])


# the steady operations whose first call in a fresh process is measured by a family of its own
# (module_get_symbol_cold is measured by module_get_symbol's family, in the same process)
COLD_APART = tuple(
    steady_twin(op).name
    for op in ALL
    if steady_twin(op) is not None and steady_twin(op).family != op.family
)


def list_line(op):
    """The line `coremod-bench --list` prints for `op`."""
    return "\t".join(
        (op.name, op.family, op.kind, "countable" if op.countable else "not_countable")
    )
