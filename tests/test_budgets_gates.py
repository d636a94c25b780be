"""Budgets table parsing, unit conversion and gate verdicts on synthetic benchmark results."""
import os
import re

import pytest

from conftest import REPO_ROOT
from coremodlib.records import budgets
from coremodlib.judge import gates
from coremodlib import units
from coremodlib.errors import HarnessError

LOAD_BUDGET = budgets.make("module_load", "p99", "<", 1_500_000, "ns", clause="P.2")
CONCURRENT_BUDGET = budgets.make("concurrent_modules", "min", ">=", 1000, "count", clause="P.6")


def op(name="module_load", samples=(), unit="ns", **extra):
    return {
        "name": name,
        "unit": unit,
        "batch": 1,
        "warmup": 0,
        "samples": list(samples),
        "failures": 0,
        "errors": [],
        **extra,
    }


# ---- units ---------------------------------------------------------------------------------


def test_units_convert_within_a_dimension():
    assert units.convert(1500, "us", "ms") == pytest.approx(1.5)
    assert units.convert(2, "ms", "ns") == pytest.approx(2e6)
    assert units.convert(150, "KiB", "bytes") == 153600
    assert units.convert(150, "KB", "bytes") == 150000


def test_units_refuse_to_mix_dimensions():
    with pytest.raises(ValueError):
        units.convert(1, "ms", "bytes")
    with pytest.raises(ValueError):
        units.convert(1, "furlongs", "ns")


def test_display_unit_reads_naturally():
    assert units.display_unit("ns", 1_500_000) == "ms"
    assert units.display_unit("ns", 50_000) == "us"
    assert units.display_unit("ns", 999) == "ns"
    assert units.display_unit("bytes", 153_600) == "KiB"
    assert units.display_unit("count", 1000) == "count"


# ---- budgets table -------------------------------------------------------------------------

TABLE = """schema = "ignored scalar"
document = "Core Module System API"
[module_load]
operation = "module_load"
budget = 1500000
budget_text = "1.5 ms"
unit = "ns"
statistic = "p99"
comparison = "<"
clause = "P.2"
document_section = "module_load"
document_line = 191
document_quote = "**Performance:** <1.5ms load time"

[concurrent]
operation = "concurrent_modules"
budget = 1000
unit = "count"
statistic = "min"
comparison = ">="
document = "another document"
"""


def test_budgets_parse_tables_in_order(tmp_path):
    path = tmp_path / "budgets.toml"
    path.write_text(TABLE)
    parsed = budgets.load(str(path))
    assert [b.operation for b in parsed] == ["module_load", "concurrent_modules"]
    load = parsed[0]
    assert (load.statistic, load.comparison, load.limit, load.unit) == ("p99", "<", 1.5e6, "ns")
    assert load.document_line == 191 and load.budget_text == "1.5 ms" and load.clause == "P.2"
    # the top-level document is every table's unless it names its own
    assert (load.document, load.document_section) == ("Core Module System API", "module_load")
    assert parsed[1].statistic == "min" and parsed[1].comparison == ">="
    assert parsed[1].document == "another document"


def test_the_project_budgets_table_parses():
    parsed = budgets.load(os.path.join(REPO_ROOT, "perf", "budgets.toml"))
    assert {b.clause for b in parsed} >= {"P.1", "P.2", "P.3", "P.4", "P.5", "P.6"}
    assert all(
        b.document and b.document_section and b.document_line and b.document_quote for b in parsed
    )


def _section_of_each_line(document):
    """[heading text of the section each line of `document` is in] (markdown headings outside
    code fences, backticks dropped; "" before the first)."""
    out, heading, fenced = [], "", False
    for line in document.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#+ ", line):
            heading = line.lstrip("#").strip().replace("`", "")
        out.append(heading)
    return out


def test_the_project_budgets_quote_the_document(api_document):
    """Each budget's line is the quoted text, in the section it names."""
    lines = api_document.splitlines()
    sections = _section_of_each_line(api_document)
    for b in budgets.load(os.path.join(REPO_ROOT, "perf", "budgets.toml")):
        assert 1 <= b.document_line <= len(lines), b.operation
        assert lines[b.document_line - 1] == b.document_quote, b.operation
        assert sections[b.document_line - 1] == b.document_section, b.operation


@pytest.mark.parametrize(
    "change, complaint",
    [
        (("budget = 1500000", ""), "budget"),
        (('statistic = "p99"', 'statistic = "mean"'), "statistic"),
        (('comparison = "<"', 'comparison = "~"'), "comparison"),
        (('unit = "ns"', 'unit = "parsecs"'), "unit"),
        (("budget = 1500000", "budget = true"), "budget"),
    ],
)
def test_budgets_reject_malformed_tables(tmp_path, change, complaint):
    path = tmp_path / "budgets.toml"
    path.write_text(TABLE.replace(*change))
    with pytest.raises(HarnessError, match=complaint):
        budgets.load(str(path))


def test_budgets_without_any_table(tmp_path):
    path = tmp_path / "budgets.toml"
    path.write_text('title = "nothing"\n')
    with pytest.raises(HarnessError, match="no budgets"):
        budgets.load(str(path))


def test_budgets_missing_file_is_a_harness_error(tmp_path):
    with pytest.raises(HarnessError, match="not found"):
        budgets.load(str(tmp_path / "absent.toml"))


@pytest.mark.parametrize(
    "comparison, value, expected",
    [
        ("<", 9, True),
        ("<", 10, False),
        ("<=", 10, True),
        (">=", 10, True),
        (">=", 9, False),
        (">", 10, False),
    ],
)
def test_comparisons(comparison, value, expected):
    assert budgets.passes(budgets.make("x", "p99", comparison, 10, "ns"), value) is expected


# ---- gates ---------------------------------------------------------------------------------


def test_an_operation_the_platform_or_candidate_cannot_support_is_not_judged():
    lacking = {"name": "module_load", "error": gates.NOT_SUPPORTED_PREFIX + "no debug registers"}
    gate = gates.evaluate(LOAD_BUDGET, lacking)
    assert gate["status"] == "skipped" and gate["message"].endswith("no debug registers")
    broken = gates.evaluate(LOAD_BUDGET, {"name": "module_load", "error": "set failed: 4"})
    assert broken["status"] == "fail" and broken["message"] == "not measured: set failed: 4"


def test_the_runner_spells_the_not_supported_prefix_as_the_judge_reads_it():
    with open(os.path.join(REPO_ROOT, "perf", "bench", "bench_result.h"), encoding="utf-8") as f:
        spelled = re.search(r'#define BENCH_NOT_SUPPORTED_PREFIX "([^"]*)"', f.read())
    assert spelled and spelled.group(1) == gates.NOT_SUPPORTED_PREFIX


def test_p99_gate_passes_when_the_interval_is_under_budget():
    gate = gates.evaluate(LOAD_BUDGET, op(samples=[400_000] * 990 + [1_400_000] * 10))
    assert gate["status"] == "pass"
    assert gate["unit"] == "ms" and gate["budget"] == pytest.approx(1.5)
    assert gate["p50"] == pytest.approx(0.4)
    assert gate["p99"] < 1.5
    assert gate["budget_ci"][1] < 1.5 and gate["ci"]["p99"] == gate["budget_ci"]
    assert gate["max"] == pytest.approx(1.4)
    assert gate["samples"] == 1000 and len(gate["raw_samples"]) == 1000
    assert "95% CI" in gate["message"] and "upper bound" in gate["verdict_rule"]


def test_p99_gate_fails_when_the_interval_is_over_budget():
    gate = gates.evaluate(LOAD_BUDGET, op(samples=[2_000_000] * 50 + [100_000] * 50))
    assert gate["status"] == "fail"
    assert gate["message"].startswith("p99 2 ms, 95% CI [2, –] ms: not < budget 1.5 ms")


def test_p99_gate_is_inconclusive_when_the_interval_contains_the_budget():
    # p99 itself (the 990th of 1000 samples, 1.4 ms) is under the budget, but the interval's
    # upper end (the 997th) is one of the 5 samples over it
    samples = [400_000] * 985 + [1_400_000] * 10 + [1_600_000] * 5
    gate = gates.evaluate(LOAD_BUDGET, op(samples=samples))
    assert gate["status"] == "inconclusive"
    low, high = gate["budget_ci"]
    assert low < 1.5 < high
    assert "inconclusive" in gate["message"]


def test_p99_gate_of_too_few_samples_is_inconclusive_not_passed():
    gate = gates.evaluate(LOAD_BUDGET, op(samples=[400_000] * 100))
    assert gate["status"] == "inconclusive"
    assert gate["budget_ci"][1] is None
    assert "368 needed" in gate["message"]


def test_max_gate_needs_every_sample_under_budget():
    memory = budgets.make("memory_per_module", "max", "<", 153600, "bytes")
    assert (
        gates.evaluate(memory, op("memory_per_module", [22000] * 5, unit="bytes"))["status"]
        == "pass"
    )
    gate = gates.evaluate(memory, op("memory_per_module", [22000] * 4 + [160000], unit="bytes"))
    assert gate["status"] == "fail" and "highest sample" in gate["message"]
    assert gate["budget_ci"] is None and "every sample" in gate["verdict_rule"]


def test_strict_budget_fails_at_equality():
    assert gates.evaluate(LOAD_BUDGET, op(samples=[1_500_000] * 400))["status"] == "fail"


def test_p99_gate_judges_p99_not_the_maximum():
    # one outlier in 1000 samples lies above p99 and its interval: the gate passes and the max
    # is still reported
    gate = gates.evaluate(LOAD_BUDGET, op(samples=[500_000] * 999 + [9_000_000]))
    assert gate["status"] == "pass"
    assert gate["max"] == pytest.approx(9.0)


def test_min_gate_needs_every_sample_to_reach_budget():
    assert (
        gates.evaluate(CONCURRENT_BUDGET, op("concurrent_modules", [1000, 1000], unit="count"))[
            "status"
        ]
        == "pass"
    )
    gate = gates.evaluate(
        CONCURRENT_BUDGET, op("concurrent_modules", [1000, 999, 1000], unit="count")
    )
    assert gate["status"] == "fail"
    assert "lowest sample 999" in gate["message"]


def test_samples_in_another_unit_are_converted():
    gate = gates.evaluate(LOAD_BUDGET, op(samples=[2.0, 2.0], unit="ms"))
    assert gate["status"] == "fail" and gate["p50"] == pytest.approx(2.0)


def test_gate_fails_when_candidate_failed_calls():
    gate = gates.evaluate(
        LOAD_BUDGET,
        op(
            samples=[1000] * 10,
            failures=3,
            errors=[
                {"call": "module_load", "code": 4, "string": "invalid module", "message": "bad"}
            ],
        ),
    )
    assert gate["status"] == "fail"
    assert "3 call(s) failed" in gate["message"] and "invalid module" in gate["message"]


def test_gate_fails_when_nothing_was_measured():
    gate = gates.evaluate(
        LOAD_BUDGET,
        op(
            samples=[],
            failures=20,
            aborted="stopped",
            errors=[{"call": "module_load", "message": "x"}],
        ),
    )
    assert gate["status"] == "fail" and "no samples" in gate["message"]
    unavailable = gates.evaluate(LOAD_BUDGET, {"name": "module_load", "error": "no symbol"})
    assert unavailable["status"] == "fail" and "no symbol" in unavailable["message"]


def test_aborted_measurement_fails_even_with_samples():
    assert (
        gates.evaluate(LOAD_BUDGET, op(samples=[1000] * 5, aborted="stopped after 20"))["status"]
        == "fail"
    )


def test_operation_missing_from_results_is_a_harness_error():
    with pytest.raises(HarnessError, match="did not report"):
        gates.evaluate_all([LOAD_BUDGET], {"operations": []})


def test_raw_loader_ratio_is_ratio_of_medians():
    gate = gates.evaluate(
        LOAD_BUDGET,
        op(
            samples=[300_000, 300_000, 300_000],
            raw_baseline={"name": "dlopen", "samples": [100_000, 100_000, 200_000]},
        ),
    )
    assert gate["raw_baseline"] == "dlopen"
    assert gate["raw_p50"] == pytest.approx(0.1)
    assert gate["raw_ratio"] == pytest.approx(3.0)


def test_no_ratio_without_baseline():
    gate = gates.evaluate(LOAD_BUDGET, op(samples=[1000]))
    assert gate["raw_ratio"] is None and gate["raw_baseline"] is None


def test_unbudgeted_operations_are_reported_not_judged():
    doc = {
        "operations": [
            op(samples=[1, 2, 3]),
            op(
                "module_get_symbol_cold",
                [5000, 7000, 9000],
                raw_baseline={"name": "dlsym", "samples": [3500]},
            ),
        ]
    }
    extra = gates.unbudgeted([LOAD_BUDGET], doc)
    assert [m["operation"] for m in extra] == ["module_get_symbol_cold"]
    assert extra[0]["p50"] == pytest.approx(7) and extra[0]["unit"] == "us"
    assert extra[0]["raw_ratio"] == pytest.approx(2.0) and "status" not in extra[0]


def test_skipped_gates_and_counts():
    records = gates.skipped([LOAD_BUDGET, CONCURRENT_BUDGET], "not run (--no-gates)")
    assert all(g["status"] == "skipped" and g["p99"] is None for g in records)
    assert records[0]["budget"] == pytest.approx(1.5) and records[0]["unit"] == "ms"
    assert gates.count_statuses(records) == {
        "pass": 0,
        "fail": 0,
        "inconclusive": 0,
        "skipped": 2,
        "total": 2,
    }


def test_quick_runs_do_not_judge_scale_gates():
    memory = budgets.make("memory_per_module", "max", "<", 153600, "bytes")
    doc = {
        "quick": True,
        "operations": [
            op(samples=[1000] * 400),
            op("memory_per_module", [20000], unit="bytes", detail={"modules": 100}),
            op("concurrent_modules", [100], unit="count", detail={"modules": 100, "threads": 4}),
        ],
    }
    records = gates.evaluate_all([LOAD_BUDGET, memory, CONCURRENT_BUDGET], doc)
    assert [g["status"] for g in records] == ["pass", "skipped", "skipped"]
    assert "100 modules" in records[2]["message"]
    doc["quick"] = False
    records = gates.evaluate_all([LOAD_BUDGET, memory, CONCURRENT_BUDGET], doc)
    assert [g["status"] for g in records] == ["pass", "pass", "fail"]
