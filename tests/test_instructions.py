"""Deterministic mode (--metric instructions): callgrind output parsing, the comparison with a
baseline, how counts decide gates; end to end, that two runs give identical counts and that the
reference matches the committed x86-64 baseline within 1 % (or is reported not comparable)."""
import copy
import json
import os
import platform
import subprocess

import pytest

from conftest import run_coremod
from coremodlib.run import instructions
from coremodlib import paths
from coremodlib.progress import Silent

CALLGRIND_DUMP = """# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 14799
cmd:  /tmp/coremod-instructions/coremod-bench --impl /tmp/coremod-instructions/candidate.so
part: 2

desc: I1 cache:
desc: Timerange: Basic block 229664 - 383198
desc: Trigger: Client Request: module_load

positions: line
events: Ir
summary: 1540108


totals: 1540108
"""


def record(per_op, toolchain=None, settings=None):
    return {
        "toolchain": toolchain
        or {"machine": "x86_64", "compiler": "gcc 12.2.0", "glibc": "glibc 2.36"},
        "settings": settings or instructions.settings(),
        "operations": {
            name: {"instructions": int(v * 100), "operations": 100, "per_op": v}
            for name, v in per_op.items()
        },
    }


# ---- parsing -----------------------------------------------------------------------------------


def test_parse_callgrind_reads_the_trigger_and_the_total():
    assert instructions.parse_callgrind(CALLGRIND_DUMP) == ("module_load", 1540108)


def test_parse_callgrind_end_of_program_dump_has_no_operation():
    text = CALLGRIND_DUMP.replace("Client Request: module_load", "Program termination")
    assert instructions.parse_callgrind(text) == (None, 1540108)


def test_parse_callgrind_rejects_files_without_totals_or_other_events():
    with pytest.raises(ValueError):
        instructions.parse_callgrind("desc: Trigger: Client Request: x\nevents: Ir\n")
    with pytest.raises(ValueError):
        instructions.parse_callgrind(CALLGRIND_DUMP.replace("events: Ir", "events: Dr"))


def test_hwcaps_is_the_highest_supported_level():
    text = (
        "Subdirectories of glibc-hwcaps directories, in priority order:\n"
        "  x86-64-v4\n  x86-64-v3 (supported, searched)\n"
        "  x86-64-v2 (supported, searched)\n"
    )
    assert instructions.hwcaps_from_ld_help(text) == "x86-64-v3"
    assert instructions.hwcaps_from_ld_help("") == "none"


def test_operation_result_divides_by_kept_operations_and_refuses_failed_calls():
    op = {"name": "module_get_symbol", "batch": 100, "samples": [1.0] * 10, "failures": 0}
    assert instructions.operation_result(op, 467410) == {
        "instructions": 467410,
        "operations": 1000,
        "per_op": 467.41,
    }
    assert instructions.operation_result(dict(op, failures=2), 467410)["status"] == "error"
    assert (
        instructions.operation_result({"name": "x", "error": "no such function"}, None)["status"]
        == "error"
    )
    assert instructions.operation_result(op, None)["status"] == "error"


def test_command_is_fixed_apart_from_the_output_directory():
    """Everything the measured process sees is fixed: the runner, candidate, fixtures and copies
    live under FIXED_ROOT, the environment is empty but PATH and LC_ALL, ASLR is off."""
    cmd = instructions.command("/some/work", "module_load")
    assert cmd[:4] == ["env", "-i", "PATH=/usr/bin:/bin", "LC_ALL=C"]
    assert ["setarch", platform.machine(), "-R"] == cmd[4:7]
    assert "--collect-atstart=no" in cmd
    measured = cmd[cmd.index(instructions.BENCH_COPY) :]
    assert all(not a.startswith("/some/work") for a in measured)
    assert measured[measured.index("--copies-dir") + 1] == instructions.COPIES_DIR


# ---- comparison --------------------------------------------------------------------------------


def test_compare_judges_each_operation_with_a_one_percent_threshold():
    base = instructions.make_baseline(record({"a": 1000.0, "b": 1000.0, "c": 1000.0, "d": 1000.0}))
    now = record({"a": 1010.0, "b": 1010.5, "c": 980.0, "d": 1000.0, "e": 5.0})
    result = instructions.compare(now, base)
    ops = result["operations"]
    assert result["comparable"] and not result["reasons"]
    assert (ops["a"]["status"], ops["a"]["result"]) == ("pass", "no_change")  # +1.0 %: at it
    assert (ops["b"]["status"], ops["b"]["result"]) == ("fail", "regression")  # +1.05 %
    assert (ops["c"]["status"], ops["c"]["result"]) == ("pass", "improvement")
    assert ops["d"]["change_ratio"] == 1.0
    assert ops["e"]["status"] == "no_baseline"
    assert "+1.05 %" in ops["b"]["message"]


def test_a_different_toolchain_is_not_comparable_and_never_fails():
    base = instructions.make_baseline(record({"a": 1000.0}))
    now = record(
        {"a": 2000.0},
        toolchain={"machine": "x86_64", "compiler": "gcc 13.1.0", "glibc": "glibc 2.36"},
    )
    result = instructions.compare(now, base)
    assert not result["comparable"]
    assert any("compiler" in r and "gcc 13.1.0" in r for r in result["reasons"])
    assert result["operations"]["a"]["status"] == "not_comparable"


def test_different_settings_are_not_comparable():
    base = instructions.make_baseline(record({"a": 1000.0}))
    now = record({"a": 1000.0}, settings=dict(instructions.settings(), samples=50))
    assert not instructions.compare(now, base)["comparable"]


def test_no_baseline_is_said():
    result = instructions.compare(record({"a": 1.0}), None)
    assert result["operations"]["a"]["status"] == "no_baseline"
    assert result["reasons"] == ["no baseline recorded for this machine"]


def gate(operation, status="pass"):
    return {
        "operation": operation,
        "status": status,
        "message": "p99 1 us < budget 10 us",
        "metric": "time",
    }


def test_counts_decide_gates_only_with_the_instruction_metric_and_a_comparable_baseline():
    base = instructions.make_baseline(record({"a": 1000.0, "b": 1000.0}))
    comparison = instructions.compare(record({"a": 1100.0, "b": 1000.0}), base)
    shown = instructions.apply_to_gates(
        [gate("a"), gate("b", "fail")], copy.deepcopy(comparison), decide=False
    )
    assert [g["status"] for g in shown] == ["pass", "fail"]  # shown beside, not deciding
    assert shown[0]["instructions"]["status"] == "fail"
    decided = instructions.apply_to_gates(
        [gate("a"), gate("b", "fail"), gate("c")], comparison, decide=True
    )
    assert [g["status"] for g in decided] == ["fail", "pass", "pass"]
    assert decided[0]["metric"] == "instructions" and decided[0]["time_status"] == "pass"
    assert decided[1]["time_status"] == "fail"
    assert "instructions" not in decided[2]
    other = instructions.compare(record({"a": 1100.0}, toolchain={"machine": "aarch64"}), base)
    kept = instructions.apply_to_gates([gate("a")], other, decide=True)
    assert kept[0]["status"] == "pass" and kept[0]["metric"] == "time"


def test_baseline_round_trip(tmp_path):
    path = str(tmp_path / "b.json")
    saved = instructions.save_baseline(record({"a": 12.5}), path, commit="abc")
    assert instructions.load_baseline(path) == saved
    assert saved["schema"] == instructions.BASELINE_SCHEMA and saved["commit"] == "abc"
    assert instructions.load_baseline(str(tmp_path / "none.json")) is None


def test_the_committed_baseline_is_well_formed():
    path = instructions.baseline_path("x86_64")
    data = instructions.load_baseline(path)
    assert data is not None, f"{path} is missing: ./scripts/coremod instructions --update-baseline"
    for key in (
        "machine",
        "compiler",
        "glibc",
        "libc6_package",
        "valgrind",
        "hwcaps_under_valgrind",
        "build_options",
        "cpu_model",
        "cpus",
    ):
        assert key in data["toolchain"], key
    assert data["toolchain"]["machine"] == "x86_64"
    assert data["settings"] == instructions.settings()
    for name in ("module_system_init", "module_load", "module_unload", "module_get_symbol"):
        assert data["operations"][name]["per_op"] > 0


# ---- end to end ------------------------------------------------------------------------------


@pytest.mark.e2e
def test_runner_refuses_instruction_mode_outside_valgrind(main_build):
    result = subprocess.run(
        [
            paths.bench_executable(main_build),
            "--metric",
            "instructions",
            "--impl",
            paths.reference_impl(main_build),
            "--out",
            os.devnull,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "valgrind" in result.stderr


@pytest.mark.e2e
def test_runner_refuses_operations_without_an_instruction_count(main_build):
    result = subprocess.run(
        [
            paths.bench_executable(main_build),
            "--metric",
            "instructions",
            "--only",
            "memory_per_module",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2 and "memory_per_module" in result.stderr


@pytest.fixture(scope="session")
def two_measurements(main_build, tmp_path_factory):
    impl = paths.reference_impl(main_build)
    return [
        instructions.measurement(
            main_build, impl, str(tmp_path_factory.mktemp(f"icount{i}")), Silent()
        )
        for i in (1, 2)
    ]


@pytest.mark.e2e
def test_two_runs_give_identical_counts(two_measurements):
    first, second = two_measurements
    counted = {name: r for name, r in first["operations"].items() if "per_op" in r}
    assert set(counted) >= {
        "module_system_init",
        "module_load",
        "module_unload",
        "module_get_symbol",
    }, first["operations"]
    assert first["operations"] == second["operations"]
    for name, result in counted.items():
        assert result["instructions"] > 0 and result["operations"] >= instructions.SAMPLES, name


@pytest.mark.e2e
def test_reference_matches_the_committed_baseline(two_measurements):
    """CI's gate: within 1 % of perf/baselines/instructions-x86_64.json. On another toolchain,
    C library or CPU the counts are not comparable: reported, not failed."""
    path = instructions.baseline_path()
    baseline = instructions.load_baseline(path)
    if baseline is None:
        pytest.skip(f"no instruction baseline for {platform.machine()} ({path})")
    comparison = instructions.compare(two_measurements[0], baseline)
    if not comparison["comparable"]:
        pytest.skip(
            "instruction counts not comparable with the committed baseline: "
            + "; ".join(comparison["reasons"])
        )
    regressed = {
        n: e["message"] for n, e in comparison["operations"].items() if e["status"] == "fail"
    }
    assert not regressed, regressed
    unmeasured = [n for n in baseline["operations"] if n not in comparison["operations"]]
    assert not unmeasured, f"baseline operations no longer measured: {unmeasured}"


@pytest.mark.e2e
def test_instructions_command_writes_its_comparison(main_build, tmp_path):
    result = run_coremod(
        "instructions",
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path),
        "--baseline",
        str(tmp_path / "baseline.json"),
        "--update-baseline",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with open(tmp_path / "instructions.json", encoding="utf-8") as f:
        doc = json.load(f)
    assert doc["comparison"]["comparable"]
    assert all(e["status"] in ("pass", "error") for e in doc["comparison"]["operations"].values())
    assert "module_load: pass" in result.stdout
