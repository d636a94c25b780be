"""Rounds (coremodlib.run.rounds), the regression rule (regression), verdicts with inconclusive
gates and regressions (certification.decide), baselines, the history database and the noise
facts, on synthetic data (no benchmark runs)."""
import json
import os
import sqlite3

import numpy as np
import pytest

from coremodlib.records import baseline, budgets, history
from coremodlib.judge import certification
from coremodlib.run import bench, measurement, rounds
from coremodlib.machine import environment, noise
from coremodlib.judge import gates, regression
from coremodlib import units
from coremodlib.errors import HarnessError
from coremodlib.progress import Silent

LOAD = budgets.make("module_load", "p99", "<", 1_500_000, "ns", clause="P.2")
UNLOAD = budgets.make("module_unload", "p99", "<", 100_000, "ns", clause="P.3", min_effect=0.05)
CONCURRENT = budgets.make("concurrent_modules", "min", ">=", 1000, "count", clause="P.6")


def op(name, samples, unit="ns", **extra):
    return {
        "name": name,
        "unit": unit,
        "batch": 1,
        "warmup": 50,
        "samples": list(samples),
        "failures": 0,
        "errors": [],
        **extra,
    }


def doc(*operations, **header):
    return {
        "schema": bench.SCHEMA,
        "candidate": "x.so",
        "quick": False,
        **header,
        "operations": list(operations),
    }


# ---- rounds ---------------------------------------------------------------------------------


def test_merge_concatenates_samples_in_round_order():
    first = doc(
        op("module_load", [1, 2], raw_baseline={"name": "dlopen", "samples": [5]}),
        op("concurrent_modules", [1000], unit="count", detail={"modules": 1000}),
    )
    second = doc(
        op(
            "module_load",
            [3],
            failures=1,
            errors=[{"call": "module_load"}],
            raw_baseline={"name": "dlopen", "samples": [6, 7]},
        )
    )
    merged = rounds.merge([first, second])
    by_name = bench.operations_by_name(merged)
    load = by_name["module_load"]
    assert load["samples"] == [1, 2, 3] and load["round_sizes"] == [2, 1]
    assert load["rounds"] == 2 and load["failures"] == 1 and len(load["errors"]) == 1
    assert load["raw_baseline"] == {"name": "dlopen", "samples": [5, 6, 7], "round_sizes": [1, 2]}
    assert by_name["concurrent_modules"]["rounds"] == 1
    assert by_name["concurrent_modules"]["detail"] == {"modules": 1000}
    assert merged["rounds"] == 2 and merged["schema"] == bench.SCHEMA


def test_merge_keeps_an_operation_the_candidate_cannot_run():
    merged = rounds.merge([doc({"name": "module_load", "error": "does not export module_load"})])
    assert bench.operations_by_name(merged)["module_load"]["error"].startswith("does not")


def fake_runner(monkeypatch, by_operation):
    """Replaces bench.run: each process measures the operations it is asked for (by_operation:
    name -> samples); returns the list of `only` arguments seen."""
    calls = []

    def fake_run(
        exe,
        impl,
        fixtures,
        out_path,
        log_path,
        progress,
        samples=None,
        quick=False,
        extra_env=None,
        only=None,
        label=None,
    ):
        calls.append(only)
        unit = {"concurrent_modules": "count"}
        return (
            doc(
                *[
                    op(name, values, unit=unit.get(name, "ns"))
                    for name, values in by_operation.items()
                    if name in only
                ]
            ),
            0.01,
        )

    monkeypatch.setattr(bench, "run", fake_run)
    return calls


def test_more_rounds_while_a_gate_is_undecided(monkeypatch, tmp_path):
    """The time gates share one process per round; after min_rounds the load gate's interval
    still contains its budget, so the same process (the whole mix) runs again, up to
    max_rounds."""
    # exactly 1 % of the loads over the budget: p99 sits on the jump, and its interval straddles
    # 1.5 ms however many rounds there are
    calls = fake_runner(
        monkeypatch,
        {"module_load": [400_000] * 990 + [1_600_000] * 10, "module_unload": [5000] * 1000},
    )
    merged, records, summary = rounds.measure(
        "exe", "impl", "fx", [LOAD, UNLOAD], str(tmp_path), Silent(), min_rounds=2, max_rounds=4
    )
    assert calls == [["module_load", "module_unload"]] * 4
    status = {g["operation"]: g["status"] for g in records}
    assert status == {"module_load": "inconclusive", "module_unload": "pass"}
    load = bench.operations_by_name(merged)["module_load"]
    assert load["rounds"] == 4 and len(load["samples"]) == 4000
    assert load["round_sizes"] == [1000] * 4
    assert [r["round"] for r in summary] == [1, 2, 3, 4]
    with open(tmp_path / "bench.json", encoding="utf-8") as f:
        written = json.load(f)
    assert written["rounds"] == 4 and written["processes"] == 4
    assert rounds.round_paths(str(tmp_path), 3, "timed")[0] == str(
        tmp_path / "rounds" / "round03-timed.json"
    )


def test_decided_gates_stop_after_the_first_rounds(monkeypatch, tmp_path):
    calls = fake_runner(monkeypatch, {"module_load": [400_000] * 1000})
    _, records, _ = rounds.measure(
        "exe", "impl", "fx", [LOAD], str(tmp_path), Silent(), min_rounds=3, max_rounds=8
    )
    assert calls == [["module_load"]] * 3 and records[0]["status"] == "pass"
    assert records[0]["rounds"] == 3


def test_first_calls_are_measured_once_and_shown_beside_their_gate(monkeypatch, tmp_path):
    numa = budgets.make("numa_place_module", "p99", "<", 35_000, "ns", clause="P.11")
    calls = fake_runner(
        monkeypatch,
        {
            "numa_place_module": [30.0] * 1000,
            "numa_place_module_cold": [2000.0] * 49 + [9000.0],
            "module_load": [400_000] * 1000,
        },
    )
    merged, records, summary = rounds.measure(
        "exe", "impl", "fx", [numa, LOAD], str(tmp_path), Silent(), min_rounds=3, max_rounds=3
    )
    # one process of first calls, in the first round only; never for gates without them
    assert calls == [
        ["numa_place_module", "module_load"],
        ["numa_place_module_cold"],
        ["numa_place_module", "module_load"],
        ["numa_place_module", "module_load"],
    ]
    assert "numa_place_module_cold" in summary[0]["operations"]
    by_op = {g["operation"]: g for g in records}
    cold = by_op["numa_place_module"]["cold"]
    assert cold["operation"] == "numa_place_module_cold" and cold["samples"] == 50
    gate_unit = by_op["numa_place_module"]["unit"]  # the report's unit (µs here)
    assert cold["unit"] == gate_unit
    assert cold["p50"] == pytest.approx(units.convert(2000.0, "ns", gate_unit))
    assert cold["max"] == pytest.approx(units.convert(9000.0, "ns", gate_unit))
    assert "cold" not in by_op["module_load"]
    assert by_op["numa_place_module"]["status"] == "pass"  # the cold figures judge nothing
    assert rounds.cold_operations([LOAD]) == []


def test_every_sample_gates_run_apart_and_fewer_times(monkeypatch, tmp_path):
    calls = fake_runner(
        monkeypatch, {"module_load": [400_000] * 1000, "concurrent_modules": [1000] * 5}
    )
    merged, records, _ = rounds.measure(
        "exe", "impl", "fx", [CONCURRENT, LOAD], str(tmp_path), Silent(), min_rounds=5, max_rounds=5
    )
    assert (
        calls
        == [["module_load"], ["concurrent_modules"]] * rounds.EVERY_SAMPLE_ROUNDS
        + [["module_load"]] * 2
    )
    by_name = bench.operations_by_name(merged)
    assert by_name["concurrent_modules"]["rounds"] == 3 and by_name["module_load"]["rounds"] == 5
    assert [g["status"] for g in records] == ["pass", "pass"]
    assert rounds.process_groups([CONCURRENT, LOAD]) == [
        (["module_load"], False),
        (["concurrent_modules"], True),
    ]


def test_rounds_limits_are_checked(tmp_path):
    with pytest.raises(HarnessError):
        rounds.measure(
            "exe", "impl", "fx", [LOAD], str(tmp_path), Silent(), min_rounds=3, max_rounds=2
        )


def test_no_useless_rounds_when_no_number_of_them_can_bound_p99(monkeypatch, tmp_path):
    """30 samples a round (--quick) cannot reach the 368 an upper bound of p99 needs in 10
    rounds: the gate is left inconclusive after the first rounds instead of measuring 10."""
    calls = fake_runner(monkeypatch, {"module_load": [400_000] * 30})
    _, records, _ = rounds.measure(
        "exe", "impl", "fx", [LOAD], str(tmp_path), Silent(), min_rounds=5, max_rounds=10
    )
    assert len(calls) == 5 and records[0]["status"] == "inconclusive"
    assert "368 needed" in records[0]["message"]
    # 100 a round reach 368 within 10 rounds: more rounds are run, and decide it
    calls = fake_runner(monkeypatch, {"module_load": [400_000] * 100})
    _, records, _ = rounds.measure(
        "exe", "impl", "fx", [LOAD], str(tmp_path), Silent(), min_rounds=3, max_rounds=10
    )
    assert len(calls) == 4 and records[0]["status"] == "pass"


# ---- the regression rule --------------------------------------------------------------------


def samples(median, n=600, spread=0.02, seed=1):
    rng = np.random.default_rng(seed)
    return list(median * (1 + spread * rng.standard_normal(n)))


def series(values, unit="ns"):
    return {"unit": unit, "samples": values}


def test_a_real_slowdown_is_a_regression_and_names_its_gate():
    base = {
        "module_load": series(samples(30_000, seed=1)),
        "module_unload": series(samples(7_000, seed=2)),
    }
    current = {
        "module_load": series(samples(30_000, seed=3)),
        "module_unload": series(samples(7_000 * 1.2, seed=4)),
    }
    result = regression.compare([LOAD, UNLOAD], current, base, "main")
    assert result["module_unload"]["result"] == "regression"
    assert result["module_unload"]["change_ratio"] == pytest.approx(1.2, rel=0.01)
    assert result["module_unload"]["p_adjusted"] < regression.ALPHA
    assert result["module_load"]["result"] == "no_change"
    records = [{"operation": op_, "baseline_comparison": c} for op_, c in result.items()]
    assert regression.regressions(records) == ["module_unload"]


def test_a_significant_change_smaller_than_the_minimum_effect_is_no_change():
    # 3 % slower on 600 tight samples: Mann-Whitney finds it, the minimum effect (5 %) does not
    base = {"module_load": series(samples(30_000, spread=0.005, seed=1))}
    current = {"module_load": series(samples(30_900, spread=0.005, seed=2))}
    got = regression.compare([LOAD], current, base, "main")["module_load"]
    assert got["p_worse"] < 1e-10 and got["result"] == "no_change"


def test_a_large_change_that_is_not_significant_is_no_change():
    base = {"module_load": series([30_000, 90_000, 10_000])}
    current = {"module_load": series([33_000, 95_000, 12_000])}
    assert regression.compare([LOAD], current, base, "b")["module_load"]["result"] == "no_change"


def test_improvements_are_reported():
    base = {"module_load": series(samples(30_000, seed=1))}
    current = {"module_load": series(samples(24_000, seed=2))}
    got = regression.compare([LOAD], current, base, "b")["module_load"]
    assert got["result"] == "improvement" and got["change_ratio"] < 0.85


def test_for_capacities_fewer_is_the_regression():
    base = {"concurrent_modules": series([1000] * 15, unit="count")}
    fewer = {"concurrent_modules": series([900] * 15, unit="count")}
    same = {"concurrent_modules": series([1000] * 15, unit="count")}
    assert (
        regression.compare([CONCURRENT], fewer, base, "b")["concurrent_modules"]["result"]
        == "regression"
    )
    assert (
        regression.compare([CONCURRENT], same, base, "b")["concurrent_modules"]["result"]
        == "no_change"
    )


def test_holm_correction_counts_every_compared_gate():
    base = {"module_load": series(samples(30_000, n=8, seed=1))}
    current = {"module_load": series(samples(33_000, n=8, seed=2))}
    alone = regression.compare([LOAD], current, base, "b")["module_load"]
    many = [budgets.make(f"op{i}", "p99", "<", 1e9, "ns") for i in range(9)]
    base.update({b.operation: series([1.0, 2.0, 3.0]) for b in many})
    current.update({b.operation: series([1.0, 2.0, 3.0]) for b in many})
    crowded = regression.compare([LOAD] + many, current, base, "b")["module_load"]
    assert crowded["p_value"] == alone["p_value"]
    assert crowded["p_adjusted"] == pytest.approx(min(1.0, alone["p_value"] * 10))


def test_samples_in_other_units_are_compared_in_the_budget_unit():
    base = {"module_load": series([30.0] * 20 + [31.0] * 20, unit="us")}
    current = {"module_load": series([30_000.0] * 20 + [31_000.0] * 20)}
    got = regression.compare([LOAD], current, base, "b")["module_load"]
    assert got["change_ratio"] == pytest.approx(1.0) and got["result"] == "no_change"


def test_different_machines_are_named():
    old = {"cpu_model": "AMD EPYC", "cores": 2, "machine": "x86_64", "kernel": "Linux 6.1"}
    assert regression.machine_differences(old, dict(old)) == []
    new = dict(old, cpu_model="Apple M2", cores=8, kernel="unknown")
    warnings = regression.machine_differences(old, new)
    assert len(warnings) == 2 and "cpu_model" in warnings[0] and "cores" in warnings[1]


# ---- verdicts -------------------------------------------------------------------------------


def gate(operation, status, result=None, ratio=1.25):
    record = {"operation": operation, "status": status, "baseline_comparison": None}
    if result:
        record["baseline_comparison"] = {
            "result": result,
            "change_ratio": ratio,
            "baseline": "main",
            "p_adjusted": 1e-9,
        }
    return record


def test_a_regression_rejects_with_exit_3_and_names_the_gate():
    verdict, code, reason = certification.decide(
        [], [gate("module_load", "pass"), gate("module_unload", "pass", "regression")]
    )
    assert (verdict, code) == ("rejected", 3)
    assert "module_unload (median +25.0%)" in reason and "module_load" not in reason


def test_inconclusive_fails_only_when_strict():
    gate_records = [gate("module_load", "pass"), gate("module_unload", "inconclusive")]
    verdict, code, reason = certification.decide([], gate_records)
    assert (verdict, code) == ("certified", 0) and "1 inconclusive" in reason
    verdict, code, reason = certification.decide([], gate_records, strict=True)
    assert (verdict, code) == ("rejected", 3) and "module_unload" in reason


def test_gate_scope_words_and_improvements():
    verdict, code, reason = certification.decide(
        [], [gate("module_load", "pass", "improvement", 0.8)], scope="gate"
    )
    assert (verdict, code) == ("passed", 0) and "improved: module_load" in reason
    assert certification.decide([], [gate("module_load", "fail")], scope="gate")[:2] == (
        "failed",
        3,
    )


# ---- baselines ------------------------------------------------------------------------------


def test_baseline_names_and_paths(tmp_path):
    assert baseline.path_for("main").endswith(os.path.join("perf", "baselines", "main.json"))
    assert baseline.path_for(str(tmp_path / "b.json")) == str(tmp_path / "b.json")
    assert baseline.path_for("../b.json") == os.path.abspath("../b.json")  # a path: as given
    with pytest.raises(HarnessError):
        baseline.path_for("bad name")
    with pytest.raises(HarnessError):
        baseline.path_for(".hidden")


def test_baseline_round_trip_and_checks(tmp_path):
    merged = rounds.merge(
        [doc(op("module_load", [1000.0, 2000.0]), op("concurrent_modules", [1000], unit="count"))]
    )
    measured = baseline.measured_samples([LOAD, CONCURRENT], merged)
    assert measured["module_load"]["samples"] == [1000.0, 2000.0]
    path = str(tmp_path / "base.json")
    baseline.save(
        path,
        name="base",
        created_at="t",
        candidate={},
        environment={"cores": 2},
        noise={},
        harness_version="0",
        options={},
        gates=measured,
    )
    loaded = baseline.load(path)
    assert loaded["gates"]["concurrent_modules"]["samples"] == [1000.0]
    assert loaded["environment"] == {"cores": 2}
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"schema": "something/9"}, f)
    with pytest.raises(HarnessError, match="not a baseline"):
        baseline.load(path)
    with pytest.raises(HarnessError, match="not found"):
        baseline.load(str(tmp_path / "absent.json"))


# ---- history --------------------------------------------------------------------------------


def record_for(status, comparison=None, samples_ns=(30_000.0, 31_000.0)):
    record = gates.evaluate(LOAD, op("module_load", list(samples_ns) * 200))
    record["status"] = status
    record["baseline_comparison"] = comparison
    return record


def append_run(path, status, good, when):
    record = record_for(status)
    return history.append(
        path,
        started_at=when,
        commit_id="abc",
        candidate="/x.so",
        candidate_sha256="0" * 64,
        metric="time",
        verdict="certified" if good else "rejected",
        environment={"cores": 2},
        good=good,
        rows=[
            history.gate_row(
                record,
                "ns",
                {
                    "samples": [30_000.0, 31_000.0],
                    "round_sizes": [1, 1],
                    "reference": "dlopen",
                    "reference_p50": 29_000.0,
                    "reference_round_p50": [28_900, 29_100],
                },
            )
        ],
    )


def test_history_schema_matches_the_contract(tmp_path):
    path = str(tmp_path / "h.sqlite")
    append_run(path, "pass", True, "2024-01-01")
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
    runs_cols = [r[1] for r in conn.execute("PRAGMA table_info(runs)")]
    assert runs_cols == [
        "id",
        "started_at",
        "commit_id",
        "candidate",
        "candidate_sha256",
        "metric",
        "verdict",
        "environment_json",
        "good",
    ]
    gate_cols = [r[1] for r in conn.execute("PRAGMA table_info(gate_results)")]
    assert gate_cols == [
        "run_id",
        "operation",
        "unit",
        "budget",
        "statistic",
        "p50",
        "p90",
        "p99",
        "max",
        "mad",
        "ci_low",
        "ci_high",
        "status",
        "regression",
        "change_ratio",
        "p_value",
        "samples_json",
        "platform_p50",
        "rounds_json",
    ]
    row = conn.execute(
        "SELECT unit, budget, p50, ci_low, ci_high, samples_json " "FROM gate_results"
    ).fetchone()
    assert row[0] == "ns" and row[1] == 1_500_000  # the budget's unit, not the display unit
    assert row[2] == pytest.approx(30_500) and row[3] <= row[4]
    assert json.loads(row[5]) == [30_000.0, 31_000.0]


def test_last_good_run_and_trend(tmp_path):
    path = str(tmp_path / "h.sqlite")
    assert history.last_good(path) is None  # no history yet: first night
    first = append_run(path, "pass", True, "2024-01-01")
    append_run(path, "fail", False, "2024-01-02")
    last = history.last_good(path)
    assert last["id"] == first and last["gates"]["module_load"]["samples"] == [30_000.0, 31_000.0]
    assert last["environment"] == {"cores": 2}
    # the round structure and the same-run reference come back for the regression rule
    gate = last["gates"]["module_load"]
    assert gate["round_sizes"] == [1, 1] and gate["reference_round_p50"] == [28_900, 29_100]
    assert gate["platform_p50"] == 29_000.0 and gate["reference"] == "dlopen"
    points = history.trend(path, "module_load")
    assert [p["status"] for p in points] == ["pass", "fail"]
    assert [p["good"] for p in points] == [True, False]
    assert history.operations(path) == ["module_load"]
    assert [r["started_at"] for r in history.runs(path)] == ["2024-01-01", "2024-01-02"]


def test_what_counts_as_a_good_run():
    assert history.is_good(0, [record_for("pass"), record_for("skipped")])
    assert not history.is_good(3, [record_for("pass")])
    assert not history.is_good(0, [record_for("inconclusive")])
    assert not history.is_good(0, [record_for("pass", {"result": "regression"})])


def test_a_history_without_the_added_columns_gains_them(tmp_path):
    path = str(tmp_path / "old.sqlite")
    conn = sqlite3.connect(path)
    conn.executescript(history._TABLES.replace(", platform_p50 REAL, rounds_json TEXT", ""))
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    append_run(path, "pass", True, "2024-01-01")
    assert history.last_good(path)["gates"]["module_load"]["platform_p50"] == 29_000.0
    columns = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(gate_results)")]
    assert columns[-2:] == ["platform_p50", "rounds_json"]


def test_a_foreign_database_is_refused(tmp_path):
    path = str(tmp_path / "other.sqlite")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    conn.commit()
    conn.close()
    with pytest.raises(HarnessError, match="schema version 99"):
        history.last_good(path)


# ---- noise ----------------------------------------------------------------------------------


def test_noise_parsers():
    assert noise.parse_loadavg("0.52 0.58 0.59 1/467 12345\n") == [0.52, 0.58, 0.59]
    assert noise.parse_loadavg("") is None
    stat = "cpu  100 0 50 800 10 0 5 35 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"
    assert noise.parse_cpu_times(stat) == (1000, 35)
    assert noise.steal_percent((1000, 35), (2000, 85)) == pytest.approx(5.0)
    assert noise.governor_summary(["performance\n", "performance\n"]) == "performance"
    assert (
        noise.governor_summary(["powersave\n", "performance\n"]) == "mixed: performance, powersave"
    )
    assert noise.governor_summary([]) is None


def test_noise_warnings_name_each_cause():
    quiet = {
        "governor": "performance",
        "loadavg": [0.1, 0.1, 0.1],
        "cores_usable": 16,
        "virtualized": False,
        "steal_percent": 0.0,
    }
    assert noise.warnings_for(quiet) == []
    noisy = {
        "governor": "powersave",
        "loadavg": [3.0, 2, 2],
        "cores_usable": 2,
        "virtualized": True,
        "virtualization": "kvm",
        "steal_percent": 4.2,
    }
    text = " | ".join(noise.warnings_for(noisy))
    for word in ("powersave", "load average 3.00", "2 usable core", "kvm", "4.2%"):
        assert word in text, word


def test_noise_recorder_reads_this_machine():
    facts = noise.Recorder().start().finish()
    for key in ("governor", "loadavg", "cores", "cores_usable", "virtualized", "warnings"):
        assert key in facts
    assert facts["cores"] >= 1 and isinstance(facts["warnings"], list)


def test_noise_and_environment_state_the_same_virtual_machine():
    """One detection (environment.virtualization): a container on a VM is recorded as both, and
    the noise facts never name another machine than the environment does."""
    env = environment.collect()
    facts = noise.Recorder().start().finish()
    assert facts["virtualization"] == env["virtualization"]
    assert facts["virtualized"] == (env["virtualization"] != environment.NONE)


def test_loader_gates_are_compared_relative_to_the_platform():
    """The machine 8 % slower in the second run: candidate and platform loader alike. Relative to
    the platform nothing changed; a candidate 20 % slower while the platform is not, regressed."""
    base = {"module_unload": dict(series(samples(7_000, seed=1)), platform_p50=6_800.0)}
    drift = {
        "module_unload": dict(series(samples(7_000 * 1.08, seed=2)), platform_p50=6_800.0 * 1.08)
    }
    got = regression.compare([UNLOAD], drift, base, "b")["module_unload"]
    assert got["result"] == "no_change" and got["change_ratio"] == pytest.approx(1.0, abs=0.01)
    assert got["reference_ratio"] == pytest.approx(1.08)
    assert "relative to the same-run reference" in got["statistic"]
    slower = {"module_unload": dict(series(samples(7_000 * 1.2, seed=3)), platform_p50=6_800.0)}
    got = regression.compare([UNLOAD], slower, base, "b")["module_unload"]
    assert got["result"] == "regression" and "same-run reference" in regression.describe(
        "module_unload", got
    )
    # without the platform on one side the raw samples are compared
    plain = {"module_unload": series(samples(7_000 * 1.08, seed=2))}
    assert regression.compare([UNLOAD], plain, base, "b")["module_unload"]["result"] == "regression"


def test_baselines_keep_an_evenly_spaced_share_of_every_round(tmp_path):
    entry = {
        "unit": "ns",
        "samples": [float(i) for i in range(10_000)],
        "round_sizes": [1000] * 10,
        "platform_p50": 5.0,
    }
    thinned = baseline.subsample(entry, baseline.KEEP_SAMPLES)
    assert len(thinned["samples"]) == baseline.KEEP_SAMPLES
    assert thinned["round_sizes"] == [200] * 10 and thinned["subsampled_from"] == 10_000
    assert thinned["samples"][0] == 0 and thinned["samples"][-1] == 9999
    assert all(isinstance(v, int) for v in thinned["samples"])  # whole numbers stay compact
    assert thinned["platform_p50"] == 5.0
    path = str(tmp_path / "b.json")
    baseline.save(
        path,
        name="b",
        created_at="t",
        candidate={},
        environment={},
        noise={},
        harness_version="0",
        options={},
        gates={"module_load": entry},
    )
    assert len(baseline.load(path)["gates"]["module_load"]["samples"]) == baseline.KEEP_SAMPLES


def test_the_history_records_the_metric_that_decided_the_gates():
    assert measurement.deciding_metric({}) == "time"
    assert measurement.deciding_metric({"instructions": {"comparable": False}}) == "time"
    assert measurement.deciding_metric({"instructions": {"comparable": True}}) == "instructions"
