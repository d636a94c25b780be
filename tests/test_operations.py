"""One list of benchmark operations (perf/bench/bench_operations.h): the runner prints it with
--list, the command reads the header (operations.py), and every gate of perf/budgets.toml names
an operation of the right kind. Adding an operation or a gate that disagrees fails here."""
import subprocess

import pytest

from conftest import REPO_ROOT
from coremodlib.records import budgets, operations, spec_levels
from coremodlib.judge import gates
from coremodlib import paths


def test_the_runner_lists_exactly_the_operations_of_the_header(main_build):
    listed = subprocess.run(
        [paths.bench_executable(main_build), "--list"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.splitlines()
    assert listed == [operations.list_line(op) for op in operations.ALL]
    assert len(listed) == len(set(line.split("\t")[0] for line in listed))


def test_every_listed_operation_can_be_selected_alone(main_build):
    for op in operations.ALL:
        result = subprocess.run(
            [paths.bench_executable(main_build), "--only", op.name, "--help"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (op.name, result.stderr)
    bad = subprocess.run(
        [paths.bench_executable(main_build), "--only", "no_such_operation"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "unknown operation 'no_such_operation'" in bad.stderr


def test_every_budget_names_a_listed_operation_of_its_kind():
    table = budgets.load(f"{REPO_ROOT}/perf/budgets.toml")
    for budget in table:
        op = operations.BY_NAME.get(budget.operation)
        assert op is not None, (
            f"perf/budgets.toml gates {budget.operation}, which "
            f"perf/bench/bench_operations.h does not list"
        )
        wanted = "every_sample" if budget.statistic in gates.EVERY_SAMPLE else "time"
        assert op.kind == wanted, (budget.operation, budget.statistic, op.kind)
    gated = {b.operation for b in table}
    # every steady operation has a gate, and every cold one a steady twin that has one
    assert {op.name for op in operations.ALL if op.kind != "cold"} == gated
    for op in operations.ALL:
        if op.kind == "cold":
            assert op.name.endswith(operations.COLD_SUFFIX)
            assert op.name[: -len(operations.COLD_SUFFIX)] in gated, op.name


def test_every_budget_cites_a_performance_clause_of_spec():
    """A new gate needs its row in SPEC's P table: the budget's clause must be one SPEC.md
    defines, with its level."""
    levels = spec_levels.load()
    for budget in budgets.load(paths.BUDGETS_FILE):
        assert budget.clause in levels, (
            f"perf/budgets.toml: {budget.operation} cites clause {budget.clause}, which "
            f"conformance/SPEC.md does not define"
        )
        assert budget.clause.startswith("P."), (budget.operation, budget.clause)


def test_the_header_is_read_row_by_row_and_checked():
    text = "\n".join(
        [
            "#define BENCH_FAMILIES(X) \\",
            "    X(alpha, NO_COPIES, COUNTABLE) \\",
            "    X(beta,  COPIES,    NOT_COUNTABLE)",
            "#define BENCH_OPERATIONS(X) \\",
            "    X(op_a,      alpha, TIME) \\",
            "    X(op_a_cold, beta,  COLD)",
            "int after;",
        ]
    )
    parsed = operations.parse(text)
    assert parsed == [
        operations.Operation("op_a", "alpha", "time", True),
        operations.Operation("op_a_cold", "beta", "cold", False),
    ]
    with pytest.raises(ValueError, match="not in BENCH_FAMILIES"):
        operations.parse(text.replace("X(op_a,      alpha", "X(op_a, gamma"))
    with pytest.raises(ValueError, match="kind WARM is not one of TIME, EVERY_SAMPLE, COLD"):
        operations.parse(text.replace("COLD)", "WARM)"))
    with pytest.raises(ValueError, match="no #define BENCH_OPERATIONS"):
        operations.parse(text.split("#define BENCH_OPERATIONS")[0])
