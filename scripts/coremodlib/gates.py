"""Performance gates: each budget (budgets.py) judged against the raw samples coremod-bench wrote.

A gate compares one statistic of the samples with the budget (p99 < budget for times and memory;
the lowest sample >= budget, i.e. every sample, for capacities). A gate also
fails when the candidate failed calls during its measurement (the runner drops those samples, so a
fast-failing candidate must not look fast) or when nothing could be measured. Where the runner
measured the raw platform loader on the same files, the overhead is reported as the ratio of
medians p50(candidate) / p50(raw).
"""
from . import budgets as budgets_mod, stats, units
from .errors import HarnessError

STATUSES = ("pass", "fail", "skipped")


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


def skeleton(budget):
    """The gate record of a budget before (or without) a measurement."""
    return {
        "operation": budget.operation, "clause": budget.clause, "document": budget.document,
        "document_line": budget.document_line, "document_quote": budget.document_quote,
        "statistic": budget.statistic, "comparison": budget.comparison,
        "budget": budget.limit, "budget_text": budget.budget_text, "unit": budget.unit,
        "samples": 0, "p50": None, "p90": None, "p99": None, "min": None, "max": None,
        "mad": None, "failures": 0, "raw_baseline": None, "raw_p50": None, "raw_p99": None,
        "raw_ratio": None, "batch": None, "warmup": None, "status": "skipped", "message": "",
    }


def _display(gate, unit, from_unit):
    """Expresses the gate's numbers in `unit` (the report's unit) instead of `from_unit`."""
    for key in ("budget", "p50", "p90", "p99", "min", "max", "mad", "raw_p50", "raw_p99"):
        if gate[key] is not None:
            gate[key] = units.convert(gate[key], from_unit, unit)
    gate["unit"] = unit


def evaluate(budget, operation):
    """The gate record of `budget` judged on `operation` (one entry of the bench results).

    The verdict is computed in the budget's own unit (no rounding at the boundary); the record's
    numbers are then expressed in a readable unit (ns -> us or ms, bytes -> KiB)."""
    if operation is None:
        raise HarnessError(f"coremod-bench did not report operation {budget.operation!r}, which "
                           f"perf/budgets.toml budgets (runner and budgets table disagree)")
    gate = skeleton(budget)
    shown = units.display_unit(budget.unit, budget.limit)
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
        gate.update(status="fail", message="no samples: " + (
            _first_error(operation) or operation.get("aborted") or "the runner kept none"))
        _display(gate, shown, budget.unit)
        return gate
    summary = stats.summarize(samples)
    gate.update(samples=summary["count"], p50=summary["p50"], p90=summary["p90"],
                p99=summary["p99"], min=summary["min"], max=summary["max"], mad=summary["mad"])

    raw = operation.get("raw_baseline")
    if isinstance(raw, dict) and raw.get("samples"):
        raw_samples = _converted(raw["samples"], raw.get("unit", operation["unit"]), budget.unit,
                                 f"{where} raw baseline")
        raw_summary = stats.summarize(raw_samples)
        gate.update(raw_baseline=raw.get("name"), raw_p50=raw_summary["p50"],
                    raw_p99=raw_summary["p99"], raw_ratio=stats.ratio(summary["p50"],
                                                                       raw_summary["p50"]))

    value = summary[budget.statistic]
    ok = budgets_mod.passes(budget, value)
    label = "lowest sample" if budget.statistic == "min" else budget.statistic
    relation = budget.comparison if ok else f"not {budget.comparison}"
    notes = [f"{label} {_fmt(units.convert(value, budget.unit, shown))} {shown} {relation} "
             f"budget {_fmt(units.convert(budget.limit, budget.unit, shown))} {shown}"]
    if failures:
        ok = False
        notes.append(f"{failures} call(s) failed during the measurement "
                     f"(first: {_first_error(operation) or 'not recorded'})")
    if operation.get("aborted"):
        ok = False
        notes.append(f"measurement aborted: {operation['aborted']}")
    gate.update(status="pass" if ok else "fail", message="; ".join(notes))
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
            records.extend(skipped([budget], f"not judged: measured with --quick on {modules} "
                                              f"modules only"))
    return records


def unbudgeted(budgets, bench_doc):
    """Summaries of measured operations that no budget names (reported, not judged)."""
    named = {b.operation for b in budgets}
    out = []
    for op in bench_doc["operations"]:
        if op["name"] in named or "error" in op or not op.get("samples"):
            continue
        shown = (units.display_unit(op["unit"], stats.median(op["samples"]))
                 if units.known(op["unit"]) else op["unit"])
        summary = stats.summarize(units.convert(v, op["unit"], shown) for v in op["samples"])
        entry = {"operation": op["name"], "unit": shown, "samples": summary["count"],
                 "p50": summary["p50"], "p99": summary["p99"], "max": summary["max"],
                 "mad": summary["mad"], "raw_ratio": None}
        raw = op.get("raw_baseline")
        if isinstance(raw, dict) and raw.get("samples"):
            entry["raw_ratio"] = stats.ratio(stats.median(op["samples"]),
                                             stats.median(raw["samples"]))
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
