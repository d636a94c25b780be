"""The calibration test: on recorded samples of real runs, the regression rule's false-positive rate
is at most 1 % per gate, and it catches a slowdown injected into one side (10 % on a quiet
machine, 20 % under load) in at least 95 % of the trials. Two records, one per mode of the rule:

- tests/data/ab-runs.json, the A/B mode (`gate --against`, the nightly gate when the baseline build
  is at hand): A/B runs of one build against itself, each one paired A/A comparison; a third of
  them quiet, the others with a background load that changes level every few seconds while the
  run goes on (`coremod calibrate --ab`). The calibration goals (docs/gates.md,
  "Calibration") are asserted on it.
- tests/data/aa-runs.json, stored samples (only results at hand), described below; the goals are
  not met on this VM and the tests say so (strict xfail).

The data (tests/data/aa-runs.json) are independent runs of `coremod gate`'s measurement (rounds of
coremod-bench, one after the other, on the same build of the reference) recorded by `coremod
calibrate --record`. The A/A pairs are pairs of *different* runs, never two halves of one run, so
the comparisons see the noise between runs (other processes, the machine's state, each process's
memory layout) as a nightly run does. Every gate of perf/budgets.toml is judged with its own
min_effect from that file: if a gate is added or its rule changed, the recording must cover it
(re-record with the command in the failure message).
"""
import json
import os

import pytest

from conftest import REPO_ROOT
from coremodlib.records import budgets
from coremodlib.judge import calibration

RECORD = os.path.join(REPO_ROOT, "tests", "data", "aa-runs.json")
RECORD_COMMAND = (
    "./scripts/coremod calibrate --runs 12 --load 0,1,2 --record "
    "tests/data/aa-runs.json (about 10 minutes on the 2-core VM)"
)
MIN_COMPARISONS = 100
AB_RECORD = os.path.join(REPO_ROOT, "tests", "data", "ab-runs.json")
AB_RECORD_COMMAND = (
    "./scripts/coremod calibrate --ab --runs 18 --load 0 --record tests/data/ab-runs.json, then "
    "6 times --ab --runs 5 --load 0,1,2 --record tests/data/ab-runs.json --append (about 55 "
    "minutes on the 2-core VM)"
)
# One A/B run is one comparison: at least 40 runs, so a rate of at most 1 % means no false alarm.
MIN_AB_COMPARISONS = 40
MIN_AB_QUIET, MIN_AB_LOADED = 15, 25
MAX_FALSE_POSITIVE_RATE = 0.01
MIN_DETECTION_RATE = 0.95
# Gates newer than both records, which do not hold them yet: their regression rule runs with
# the budget's min_effect and no measured noise floor (docs/gates.md, "Calibration"). Re-record
# both (the two commands above, on a quiet machine) and empty this table: the test below fails
# while a name here is recorded, or a gate is neither recorded nor named here.
UNCALIBRATED = {
    op: "added with the debugger's gates (issue 12) after both records were made"
    for op in (
        "debugger_set_breakpoint_software",
        "debugger_set_breakpoint_hardware",
        "debugger_breakpoint_hit_software",
        "debugger_breakpoint_hit_hardware",
    )
}


@pytest.fixture(scope="module")
def record():
    with open(RECORD, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def full_table():
    return budgets.load(os.path.join(REPO_ROOT, "perf", "budgets.toml"))


@pytest.fixture(scope="module")
def table(full_table):
    """The gates the records calibrate: every gate but the UNCALIBRATED ones."""
    return [b for b in full_table if b.operation not in UNCALIBRATED]


def test_the_uncalibrated_gates_are_exactly_those_the_records_lack(record, ab_record, full_table):
    gated = {b.operation for b in full_table}
    assert set(UNCALIBRATED) <= gated, "UNCALIBRATED names a gate perf/budgets.toml lacks"
    for name, runs, sides in (
        ("aa-runs.json", record["runs"], ("gates",)),
        ("ab-runs.json", ab_record["runs"], ("gates", "against")),
    ):
        recorded = {op for run in runs for side in sides for op in run[side]}
        assert not set(UNCALIBRATED) & recorded, (
            f"{name} now holds {sorted(set(UNCALIBRATED) & recorded)}: take them out of "
            f"UNCALIBRATED"
        )


@pytest.fixture(scope="module")
def analysis(record, table):
    runs = [run["gates"] for run in record["runs"]]
    return calibration.analyse(table, runs, [run.get("load", 0) for run in record["runs"]])


def test_the_record_holds_independent_runs_of_every_gate(record, table):
    assert record["schema"] == "coremod-perf-samples/1"
    runs = record["runs"]
    assert len(runs) * (len(runs) - 1) >= MIN_COMPARISONS
    starts = [run["started_at"] for run in runs]
    assert len(set(starts)) == len(starts), "runs must be separate measurements"
    # A/A: one build, candidate and runner alike, in every run of every session (`calibrate
    # --record` writes both hashes into every run)
    assert len({run["candidate_sha256"] for run in runs}) == 1
    assert len({run["runner_sha256"] for run in runs}) == 1
    missing = [b.operation for b in table if not all(b.operation in run["gates"] for run in runs)]
    assert not missing, (
        f"no recorded A/A samples for {missing}: re-record with " f"{RECORD_COMMAND}"
    )
    for run in runs:
        for operation, entry in run["gates"].items():
            assert entry["samples"], operation
            assert sum(entry["round_sizes"]) == len(entry["samples"]), operation


# The calibration goals of the stored-samples rule, measured on the committed record (12 runs,
# loads 0,1,2 in turn, 132 ordered pairs, reproduced by the RECORD_COMMAND): not met on this VM,
# where two runs of one build differ by up to 28-33 % (|change| p95 of the bimodal gates) and the
# same-run references do not follow those gates. The A/B mode is what meets them (the tests
# below). These stay strict xfails until a re-recording meets them: a pass is then reported as
# XPASS, which fails the run, and the marks must go.
STORED_SHORTFALL = (
    "stored samples on the 2-core VM: cache_generate_prefetch_pattern 8/132 and "
    "numa_place_module 11/132 false regressions; 10 % caught in 1-12 of 12 quiet trials, 20 % "
    "in 48-120 of 120 loaded ones (docs/gates.md); use the A/B mode"
)


@pytest.mark.xfail(strict=True, reason=STORED_SHORTFALL)
def test_false_positive_rate_is_at_most_one_percent(analysis):
    report = []
    for operation, figures in analysis["gates"].items():
        assert figures["comparisons"] >= MIN_COMPARISONS, operation
        report.append(
            f"{operation}: {figures['false_regressions']}/{figures['comparisons']} "
            f"(|change| p95 {figures['noise_floor'] * 100:.2f}%)"
        )
    bad = {
        op: g["false_positive_rate"]
        for op, g in analysis["gates"].items()
        if g["false_positive_rate"] > MAX_FALSE_POSITIVE_RATE
    }
    assert not bad, "false-positive rate over 1 %: " + "; ".join(report)


def test_the_record_sees_the_load_change(record):
    loads = [run.get("load", 0) for run in record["runs"]]
    assert {0, 1, 2} <= set(loads), loads


@pytest.mark.xfail(strict=True, reason=STORED_SHORTFALL)
def test_an_injected_slowdown_is_caught_quiet_and_under_load(analysis):
    assert analysis["slowdown"] == pytest.approx(1.10)
    assert analysis["loaded_slowdown"] == pytest.approx(1.20)
    missed = {
        op: (g["quiet_detection_rate"], g["loaded_detection_rate"])
        for op, g in analysis["gates"].items()
        if g["quiet_detection_rate"] < MIN_DETECTION_RATE
        or g["loaded_detection_rate"] < MIN_DETECTION_RATE
    }
    assert not missed, f"slowdown caught in less than 95 % of the trials: {missed}"


# ---- the A/B mode -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ab_record():
    with open(AB_RECORD, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def ab_analysis(ab_record, table):
    from coremodlib.workflows import calibrate

    return calibration.analyse_ab(table, calibrate.ab_runs(ab_record["runs"]))


def test_the_ab_record_holds_ab_runs_of_one_build_under_a_changing_load(ab_record, table):
    assert ab_record["schema"] == "coremod-perf-samples/1" and ab_record["mode"] == "A/B"
    runs = ab_record["runs"]
    assert len(runs) >= MIN_AB_COMPARISONS, f"re-record with {AB_RECORD_COMMAND}"
    assert len({run["started_at"] for run in runs}) == len(runs)
    assert len({run["candidate_sha256"] for run in runs}) == 1
    assert len({run["runner_sha256"] for run in runs}) == 1
    quiet = [run for run in runs if not any(run["loads"])]
    loaded = [run for run in runs if any(run["loads"])]
    assert len(quiet) >= MIN_AB_QUIET and len(loaded) >= MIN_AB_LOADED
    # the load changed during every loaded run, at least twice, through its levels
    for run in loaded:
        assert len(run["load_changes"]) >= 3, run["started_at"]
        assert {level for _, level in run["load_changes"]} == set(run["loads"])
    for run in runs:
        for side in ("gates", "against"):
            missing = [b.operation for b in table if b.operation not in run[side]]
            assert not missing, f"{side} lacks {missing}: re-record with {AB_RECORD_COMMAND}"
            for operation, entry in run[side].items():
                assert sum(entry["round_sizes"]) == len(entry["samples"]), operation
                # the exact median of every round, which the thinned samples cannot give
                assert len(entry["round_p50"]) == entry["rounds"], operation
        # paired: both sides measured in the same rounds
        for operation, entry in run["gates"].items():
            assert entry["rounds"] == run["against"][operation]["rounds"], operation


def test_ab_false_positive_rate_is_at_most_one_percent_under_a_changing_load(ab_analysis):
    report = [
        f"{op}: {g['false_regressions']}/{g['comparisons']} "
        f"(under load {g['load_change_false_regressions']}/{g['load_change_comparisons']})"
        for op, g in ab_analysis["gates"].items()
    ]
    bad = [
        op
        for op, g in ab_analysis["gates"].items()
        if g["comparisons"] < MIN_AB_COMPARISONS
        or g["false_positive_rate"] > MAX_FALSE_POSITIVE_RATE
    ]
    assert not bad, "A/B false-positive rate over 1 %: " + "; ".join(report)


# The calibration goals per gate on the A/B record. Where a gate misses one, on this VM, the
# mark says so with the figure (docs/gates.md, "Measured on the 2-core VM"); a later recording that
# meets it fails the run (XPASS, strict) until the mark goes.
AB_QUIET_SHORTFALL = {
    op: f"{op}: a process's speed is bimodal on the 2-core VM (docs/gates.md, Rounds); a 10 % "
    f"slowdown is caught in {figure} of the quiet A/B trials"
    for op, figure in (
        ("module_get_symbol", "15/18"),
        ("jit_generate_compilation_hints", "13/18"),
        ("cache_generate_prefetch_pattern", "17/18"),
        ("numa_place_module", "15/18"),
    )
}
AB_LOADED_SHORTFALL = {}
GATED = [
    b.operation
    for b in budgets.load(os.path.join(REPO_ROOT, "perf", "budgets.toml"))
    if b.operation not in UNCALIBRATED
]


def _per_gate(shortfall):
    return [
        pytest.param(op, marks=pytest.mark.xfail(strict=True, reason=shortfall[op]))
        if op in shortfall
        else op
        for op in GATED
    ]


@pytest.mark.parametrize("operation", _per_gate(AB_QUIET_SHORTFALL))
def test_ab_catches_a_ten_percent_slowdown_on_a_quiet_machine(ab_analysis, operation):
    assert ab_analysis["slowdown"] == pytest.approx(1.10)
    figures = ab_analysis["gates"][operation]
    assert figures["quiet_trials"] >= MIN_AB_QUIET
    assert figures["quiet_detection_rate"] >= MIN_DETECTION_RATE, (
        f"{operation}: a 10 % slowdown caught in {figures['quiet_detections']} of "
        f"{figures['quiet_trials']} quiet A/B trials"
    )


@pytest.mark.parametrize("operation", _per_gate(AB_LOADED_SHORTFALL))
def test_ab_catches_a_twenty_percent_slowdown_under_a_changing_load(ab_analysis, operation):
    assert ab_analysis["loaded_slowdown"] == pytest.approx(1.20)
    figures = ab_analysis["gates"][operation]
    assert figures["loaded_trials"] >= MIN_AB_LOADED
    assert figures["loaded_detection_rate"] >= MIN_DETECTION_RATE, (
        f"{operation}: a 20 % slowdown caught in {figures['loaded_detections']} of "
        f"{figures['loaded_trials']} A/B trials under a changing load"
    )
