"""The gate history's trends for the HTML report's plots: the last runs of the history
(coremodlib.records.history, which owns the database and its schema, docs/report-schema.md), read
read-only, as one series per gate.
"""
import os

from coremodlib import units  # the harness's one unit table
from coremodlib.records import history

DEFAULT_RUNS = 30


def _convert(value, unit, target):
    """`value` in `unit` expressed in `target` (runs may show one gate in µs, another time in ms);
    None when the two are not of one kind."""
    if value is None or unit == target:
        return value
    try:
        return units.convert(value, unit, target)
    except ValueError:
        return None


def empty(path, note):
    return {"path": path, "available": False, "note": note, "runs": 0, "gates": {}}


def read(path, max_runs=DEFAULT_RUNS):
    """{"path", "available", "note", "runs", "gates": {(operation, metric) label: {"operation",
    "metric", "unit", "budget", "points": [{"run_id", "label", "started_at", "commit", "p50",
    "p99", "status", "regression", "change_ratio"}]}}} for the last `max_runs` runs."""
    if not path or not os.path.exists(path):
        return empty(path, "no history yet: no gate run has been recorded at this path")
    try:
        runs, rows = history.recent_gate_results(path, max_runs)
    except history.Unreadable as exc:
        return empty(path, str(exc))
    if not runs:
        return empty(path, "the history holds no runs yet")
    return {
        "path": path,
        "available": True,
        "note": "",
        "runs": len(runs),
        "gates": _series(runs, rows),
    }


def _series(runs, rows):
    by_run = {r[0]: r for r in runs}
    gates = {}
    for run_id, operation, unit, budget, p50, p99, status, regression, change in rows:
        run = by_run[run_id]
        metric = run[3] or "time"
        key = operation if metric == "time" else f"{operation} ({metric})"
        gate = gates.setdefault(
            key,
            {"operation": operation, "metric": metric, "unit": unit, "budget": None, "points": []},
        )
        target = gate["unit"]  # the first (oldest) run's unit is the plot's unit
        gate["budget"] = _convert(budget, unit, target) if budget is not None else gate["budget"]
        gate["points"].append(
            {
                "run_id": run_id,
                "label": f"#{run_id}",
                "started_at": run[1],
                "commit": (run[2] or "")[:10],
                "p50": _convert(p50, unit, target),
                "p99": _convert(p99, unit, target),
                "status": status,
                "regression": regression,
                "change_ratio": change,
            }
        )
    return gates
