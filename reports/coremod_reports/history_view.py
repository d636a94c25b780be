"""Reads the gate history (SQLite, schema version 1, written by coremodlib.history) for the HTML
report's trend plots. Opened read-only: a report never changes the history.

Schema (docs/report-schema.md, "History database"): runs(id, started_at, commit_id, candidate,
candidate_sha256, metric, verdict, environment_json, good) and gate_results(run_id, operation,
unit, budget, statistic, p50, p90, p99, max, mad, ci_low, ci_high, status, regression,
change_ratio, p_value, samples_json).
"""
import os
import sqlite3

from coremodlib import units  # the harness's one unit table

SCHEMA_VERSION = "1"
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
        db = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return empty(path, f"cannot open the history: {exc}")
    try:
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if not version or version[0] != SCHEMA_VERSION:
            return empty(
                path,
                f"history schema version {version[0] if version else 'missing'}, "
                f"this report reads version {SCHEMA_VERSION}",
            )
        runs = db.execute(
            "SELECT id, started_at, commit_id, metric FROM runs " "ORDER BY id DESC LIMIT ?",
            (max_runs,),
        ).fetchall()
        runs.reverse()
        if not runs:
            return empty(path, "the history holds no runs yet")
        run_ids = [r[0] for r in runs]
        marks = ",".join("?" for _ in run_ids)
        rows = db.execute(
            f"SELECT run_id, operation, unit, budget, p50, p99, status, regression, change_ratio "
            f"FROM gate_results WHERE run_id IN ({marks}) ORDER BY run_id, operation",
            run_ids,
        ).fetchall()
    except sqlite3.Error as exc:
        return empty(path, f"cannot read the history: {exc}")
    finally:
        db.close()
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
