"""Performance gates: each budget (budgets.py) judged against the raw samples coremod-bench wrote
(possibly over several rounds, rounds.py). docs/gates.md states the rules.

Two kinds of gate:
- percentile gates (statistic p50, p90 or p99): the verdict rests on the statistic's 95 %
  distribution-free confidence interval (stats.quantile_ci). With a "<" budget the gate passes when
  the interval's upper bound is under the budget and fails when its lower bound is not; otherwise
  the samples cannot tell, the gate is `inconclusive` and rounds.py measures more rounds (after the
  last one it stays inconclusive, which fails only under --strict). ">" budgets mirror this.
- every-sample gates (statistic min or max): capacities and per-run figures that are not
  latencies (modules live at once, bytes per module averaged over 1000 modules), a handful of runs
  each: every sample must satisfy the budget, i.e. the lowest (min) or the highest (max) sample is
  compared. No interval: the rule is already the worst case of what was measured.
A gate also fails when the candidate failed calls during its measurement (the runner drops those
samples, so a fast-failing candidate must not look fast) or when nothing could be measured. Where
the runner measured the raw platform loader on the same files, the overhead is reported as the
ratio of medians p50(candidate) / p50(raw).
"""
from coremodlib.records import budgets as budgets_mod
from coremodlib import stats, units
from coremodlib.errors import HarnessError
from coremodlib.records.operations import (
    COLD_SUFFIX,
)  # noqa: F401  (the runner's name for cold figures)

STATUSES = ("pass", "fail", "inconclusive", "skipped")
# How coremod-bench starts the error of an operation it could not measure because the candidate or
# the machine lacks what the measurement needs (perf/bench/bench_result.h,
# BENCH_NOT_SUPPORTED_PREFIX): such a gate is not judged, never a pass and never a failure.
NOT_SUPPORTED_PREFIX = "not supported: "
EVERY_SAMPLE = ("min", "max")  # statistics judged on every sample, without an interval
METRIC = "time"  # what coremod-bench measured (REPORT's deterministic mode: instructions)
RAW_SAMPLES_KEPT = 2000  # samples a gate record carries for plots (evenly spaced)


def _converted(samples, from_unit, to_unit, where):
    try:
        return [units.convert(float(v), from_unit, to_unit) for v in samples]
    except ValueError as exc:
        raise HarnessError(f"{where}: {exc}") from None


def _first_error(series):
    errors = series.get("errors") or []
    if not errors:
        return ""
    first = errors[0]
    parts = [first.get("call"), first.get("string"), first.get("message")]
    return ": ".join(str(p) for p in parts if p)


def _fmt(value):
    return f"{value:.4g}"


def verdict_rule(budget):
    """The rule a gate is judged by, in words (recorded in every gate record)."""
    if budget.statistic in EVERY_SAMPLE:
        which = "lowest" if budget.statistic == "min" else "highest"
        return (
            f"every sample {budget.comparison} budget (the {which} sample is compared); "
            f"no interval"
        )
    pct = int(stats.CONFIDENCE * 100)
    worst, best = ("upper", "lower") if lower_is_better(budget) else ("lower", "upper")
    return (
        f"pass when the {worst} bound of the {pct}% confidence interval of "
        f"{budget.statistic} is {budget.comparison} budget, fail when its {best} bound is "
        f"not; otherwise more rounds, then inconclusive (fails only with --strict)"
    )


def lower_is_better(budget):
    """Whether smaller values are better (a "<" budget: times, memory) or larger ("1000+")."""
    return budget.comparison in ("<", "<=")


def skeleton(budget):
    """The gate record of a budget before (or without) a measurement."""
    return {
        "operation": budget.operation,
        "clause": budget.clause,
        "document": budget.document,
        "document_section": budget.document_section,
        "document_line": budget.document_line,
        "document_quote": budget.document_quote,
        "statistic": budget.statistic,
        "comparison": budget.comparison,
        "budget": budget.limit,
        "budget_text": budget.budget_text,
        "unit": budget.unit,
        "metric": METRIC,
        "rounds": 0,
        "samples": 0,
        "p50": None,
        "p90": None,
        "p99": None,
        "min": None,
        "max": None,
        "mad": None,
        "confidence": stats.CONFIDENCE,
        "ci": {name: [None, None] for name, _ in stats.PERCENTILES},
        "budget_ci": None,
        "verdict_rule": verdict_rule(budget),
        "failures": 0,
        "raw_baseline": None,
        "raw_p50": None,
        "raw_p99": None,
        "raw_ratio": None,
        "batch": None,
        "warmup": None,
        "status": "skipped",
        "message": "",
        "baseline_comparison": None,
        "raw_samples": [],
    }


def _shown(value, from_unit, to_unit):
    return None if value is None else units.convert(value, from_unit, to_unit)


def _display(gate, unit, from_unit):
    """Expresses the gate's numbers in `unit` (the report's unit) instead of `from_unit`."""
    for key in ("budget", "p50", "p90", "p99", "min", "max", "mad", "raw_p50", "raw_p99"):
        gate[key] = _shown(gate[key], from_unit, unit)
    gate["ci"] = {
        name: [_shown(v, from_unit, unit) for v in bounds] for name, bounds in gate["ci"].items()
    }
    if gate["budget_ci"] is not None:
        gate["budget_ci"] = [_shown(v, from_unit, unit) for v in gate["budget_ci"]]
    # Six significant digits (the runner's own resolution is 1 ns, or 1 ns / batch), at most
    # RAW_SAMPLES_KEPT of them, evenly spaced: enough to draw the distribution, and the record
    # stays readable (a gate has up to 15 000 samples; the statistics use them all).
    samples = gate["raw_samples"]
    gate["raw_samples"] = [
        float(f"{units.convert(samples[i], from_unit, unit):.6g}")
        for i in stats.evenly_spaced_indices(len(samples), RAW_SAMPLES_KEPT)
    ]
    gate["unit"] = unit


def _interval_text(bounds, unit):
    low, high = (("–" if v is None else _fmt(v)) for v in bounds)
    return f"{int(stats.CONFIDENCE * 100)}% CI [{low}, {high}] {unit}"


def _judge_interval(budget, bounds):
    """pass / fail / inconclusive of a percentile gate from its interval (budget's unit)."""
    low, high = bounds
    worst, best = (high, low) if lower_is_better(budget) else (low, high)
    if worst is not None and budgets_mod.passes(budget, worst):
        return "pass"
    if best is not None and not budgets_mod.passes(budget, best):
        return "fail"
    return "inconclusive"


def _budget_verdict(budget, summary, samples, shown):
    """(status, note, interval or None) of the measured samples against the budget."""
    value = summary[budget.statistic]
    limit_text = f"budget {_fmt(units.convert(budget.limit, budget.unit, shown))} {shown}"
    value_text = f"{_fmt(units.convert(value, budget.unit, shown))} {shown}"
    if budget.statistic in EVERY_SAMPLE:
        ok = budgets_mod.passes(budget, value)
        label = "lowest sample" if budget.statistic == "min" else "highest sample"
        relation = budget.comparison if ok else f"not {budget.comparison}"
        return ("pass" if ok else "fail"), f"{label} {value_text} {relation} {limit_text}", None
    q = dict(stats.PERCENTILES)[budget.statistic]
    bounds = stats.quantile_ci(samples, q)
    status = _judge_interval(budget, bounds)
    shown_bounds = [_shown(v, budget.unit, shown) for v in bounds]
    interval = _interval_text(shown_bounds, shown)
    if status == "pass":
        note = f"{budget.statistic} {value_text}, {interval}: {budget.comparison} {limit_text}"
    elif status == "fail":
        note = (
            f"{budget.statistic} {value_text}, {interval}: not {budget.comparison} " f"{limit_text}"
        )
    else:
        needed = stats.min_samples_for_upper_bound(q)
        why = (
            f"; {len(samples)} samples cannot bound {budget.statistic} (at least {needed} "
            f"needed)"
            if None in bounds
            else ""
        )
        note = (
            f"{budget.statistic} {value_text}, {interval} contains {limit_text}: "
            f"inconclusive{why}"
        )
    return status, note, list(bounds)


def evaluate(budget, operation):
    """The gate record of `budget` judged on `operation` (one entry of the bench results, its
    samples possibly gathered over several rounds: rounds.merge).

    The verdict is computed in the budget's own unit (no rounding at the boundary); the record's
    numbers are then expressed in a readable unit (ns -> us or ms, bytes -> KiB)."""
    if operation is None:
        raise HarnessError(
            f"coremod-bench did not report operation {budget.operation!r}, which "
            f"perf/budgets.toml budgets (runner and budgets table disagree)"
        )
    gate = skeleton(budget)
    shown = units.display_unit(budget.unit, budget.limit)
    gate["rounds"] = int(operation.get("rounds", 1))
    if "error" in operation and operation["error"].startswith(NOT_SUPPORTED_PREFIX):
        gate.update(status="skipped", message=operation["error"])
        _display(gate, shown, budget.unit)
        return gate
    if "error" in operation:
        gate.update(status="fail", message=f"not measured: {operation['error']}")
        _display(gate, shown, budget.unit)
        return gate
    gate.update(batch=operation.get("batch"), warmup=operation.get("warmup"))
    where = f"operation {budget.operation}"
    samples = _converted(operation["samples"], operation["unit"], budget.unit, where)
    failures = int(operation.get("failures", 0) or 0)
    gate["failures"] = failures
    if not samples:
        gate.update(
            status="fail",
            message="no samples: "
            + (_first_error(operation) or operation.get("aborted") or "the runner kept none"),
        )
        _display(gate, shown, budget.unit)
        return gate
    summary = stats.summarize(samples)
    gate.update(
        samples=summary["count"],
        p50=summary["p50"],
        p90=summary["p90"],
        p99=summary["p99"],
        min=summary["min"],
        max=summary["max"],
        mad=summary["mad"],
        ci=stats.intervals(samples),
        raw_samples=samples,
    )

    raw = operation.get("raw_baseline")
    if isinstance(raw, dict) and raw.get("samples"):
        raw_samples = _converted(
            raw["samples"],
            raw.get("unit", operation["unit"]),
            budget.unit,
            f"{where} platform-loader twin",
        )
        raw_summary = stats.summarize(raw_samples)
        gate.update(
            raw_baseline=raw.get("name"),
            raw_p50=raw_summary["p50"],
            raw_p99=raw_summary["p99"],
            raw_ratio=stats.ratio(summary["p50"], raw_summary["p50"]),
        )

    status, note, bounds = _budget_verdict(budget, summary, samples, shown)
    gate["budget_ci"] = bounds
    notes = [note]
    if failures:
        status = "fail"
        notes.append(
            f"{failures} call(s) failed during the measurement "
            f"(first: {_first_error(operation) or 'not recorded'})"
        )
    if operation.get("aborted"):
        status = "fail"
        notes.append(f"measurement aborted: {operation['aborted']}")
    if gate["rounds"] > 1:
        notes.append(f"{gate['rounds']} rounds")
    gate.update(status=status, message="; ".join(notes))
    _display(gate, shown, budget.unit)
    return gate


def reduced_scale(bench_doc, operation):
    """The module count of a scale measurement made with coremod-bench --quick (fewer modules than
    its gate is about, e.g. 100 instead of 1000), else None. perf/README.md documents the
    `modules` detail of the scale operations."""
    detail = (operation or {}).get("detail")
    if bench_doc.get("quick") and isinstance(detail, dict) and "modules" in detail:
        return detail["modules"]
    return None


def evaluate_all(budgets, bench_doc):
    """Gate records for every budget, in the budgets table's order. Under --quick, scale gates are
    not judged: a run of 100 modules says nothing about "1000+ modules"."""
    by_name = {op["name"]: op for op in bench_doc["operations"]}
    records = []
    for budget in budgets:
        operation = by_name.get(budget.operation)
        modules = reduced_scale(bench_doc, operation)
        if modules is None:
            records.append(evaluate(budget, operation))
        else:
            records.extend(
                skipped(
                    [budget], f"not judged: measured with --quick on {modules} " f"modules only"
                )
            )
    attach_cold(records, bench_doc)
    return records


def attach_cold(records, bench_doc):
    """Puts each gate's cold figures beside it: the operation `<operation>_cold` of the runner
    (the first call in a fresh process for the JIT, Cache and NUMA functions, SPEC P.7-P.11; the
    first lookup of a symbol for module_get_symbol), as "cold": {operation, unit, samples, p50,
    p99, max} in the gate's unit. Reported, never judged: the document's budgets are steady-state
    figures."""
    by_name = {op["name"]: op for op in bench_doc["operations"]}
    for gate in records:
        cold = by_name.get(gate["operation"] + COLD_SUFFIX)
        if gate["status"] == "skipped" or not cold or "error" in cold or not cold.get("samples"):
            continue
        if not (units.known(cold.get("unit")) and units.known(gate["unit"])):
            continue
        summary = stats.summarize(
            units.convert(v, cold["unit"], gate["unit"]) for v in cold["samples"]
        )
        gate["cold"] = {
            "operation": cold["name"],
            "unit": gate["unit"],
            "samples": summary["count"],
            "p50": summary["p50"],
            "p99": summary["p99"],
            "max": summary["max"],
        }


def unbudgeted(budgets, bench_doc):
    """Summaries of measured operations that no budget names (reported, not judged)."""
    named = {b.operation for b in budgets}
    out = []
    for op in bench_doc["operations"]:
        if op["name"] in named or "error" in op or not op.get("samples"):
            continue
        shown = (
            units.display_unit(op["unit"], stats.median(op["samples"]))
            if units.known(op["unit"])
            else op["unit"]
        )
        summary = stats.summarize(units.convert(v, op["unit"], shown) for v in op["samples"])
        entry = {
            "operation": op["name"],
            "unit": shown,
            "samples": summary["count"],
            "p50": summary["p50"],
            "p99": summary["p99"],
            "max": summary["max"],
            "mad": summary["mad"],
            "raw_ratio": None,
        }
        raw = op.get("raw_baseline")
        if isinstance(raw, dict) and raw.get("samples"):
            entry["raw_ratio"] = stats.ratio(
                stats.median(op["samples"]), stats.median(raw["samples"])
            )
        out.append(entry)
    return out


def skipped(budgets, reason):
    """Gate records for budgets that were not measured in this run."""
    gates = []
    for b in budgets:
        gate = skeleton(b)
        gate["message"] = reason
        _display(gate, units.display_unit(b.unit, b.limit), b.unit)
        gates.append(gate)
    return gates


def count_statuses(gates):
    counts = {s: 0 for s in STATUSES}
    for gate in gates:
        counts[gate["status"]] += 1
    counts["total"] = len(gates)
    return counts
