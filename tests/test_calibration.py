"""The calibration test: on recorded samples of real runs, the regression rule's false-positive rate
is at most 1 % over at least 100 A/A comparisons per gate, and it catches a 10 % slowdown injected
into one side in at least 95 % of the trials.

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
from coremodlib import budgets, calibration

RECORD = os.path.join(REPO_ROOT, "tests", "data", "aa-runs.json")
RECORD_COMMAND = (
    "./scripts/coremod calibrate --runs 12 --load 0,1,2 --record "
    "tests/data/aa-runs.json (about 25 minutes on the 2-core VM)"
)
MIN_COMPARISONS = 100
MAX_FALSE_POSITIVE_RATE = 0.01
MIN_DETECTION_RATE = 0.95


@pytest.fixture(scope="module")
def record():
    with open(RECORD, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def table():
    return budgets.load(os.path.join(REPO_ROOT, "perf", "budgets.toml"))


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


# Issue 10's goals for the stored-samples rule, measured on the committed record (11 runs, loads
# 0,1,2 in turn, 110 ordered pairs, reproduced by the RECORD_COMMAND): not met on this VM, whose
# process-to-process spread is 2-30 % (|median change| p95 per gate, docs/gates.md). The A/B mode
# is what catches a 20 % slowdown here (test_nightly.py). These stay strict xfails until a
# re-recording meets them: a pass is then reported as XPASS, which fails the run, and the marks
# must go.
STORED_SHORTFALL = (
    "issue 10 open: on the 2-core VM the stored-samples rule misses the goals "
    "(cache_generate_prefetch_pattern 4/110 false positives; 10 % caught in "
    "0-50 % of quiet trials, 20 % in 34-99 % of loaded ones); see docs/gates.md"
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
