"""The history of gate runs: one SQLite database (default reports/history.sqlite, --history PATH).

Every `coremod gate` and `coremod nightly` run is appended: one row in `runs`, one row per gate in
`gate_results` with its statistics, verdict, comparison and raw samples. `coremod nightly` takes
its baseline from the last *good* run (every measured gate passed, no regression, exit code 0);
reports draw trends from it. Schema version 1 (the contract in docs/gates.md, "History"):

    meta(key, value)                      -- ('schema_version', '1')
    runs(id, started_at, commit_id, candidate, candidate_sha256, metric, verdict,
         environment_json, good)
    gate_results(run_id, operation, unit, budget, statistic, p50, p90, p99, max, mad, ci_low,
                 ci_high, status, regression, change_ratio, p_value, samples_json,
                 platform_p50, rounds_json)

platform_p50 and rounds_json were added after the first release of version 1: additional
columns, which readers of the original columns do not see; opened() adds them to older files.
platform_p50 is the median of the gate's same-run reference (first only the platform loader timed
beside the loader gates, now every time gate's reference: regression.py). rounds_json holds what
the regression rule needs of the run's rounds: {"round_sizes": [...] (of the kept samples),
"round_p50": [...] (each round's median from all its samples), "reference": name,
"reference_kind", "reference_round_p50": [...]} (NULL in older rows: the run counts as one
round, relative to platform_p50).

Every number of a gate_results row, samples included, is in the row's `unit`: the budget's own
unit (ns, bytes, count), so rows of different runs compare directly. ci_low/ci_high bound the
gate's budget statistic (NULL for every-sample gates).
"""
import contextlib
import json
import os
import sqlite3

from coremodlib import paths, units
from coremodlib.errors import HarnessError

SCHEMA_VERSION = "1"
# Columns of gate_results added within version 1, in the order they were added.
ADDED_COLUMNS = (("platform_p50", "REAL"), ("rounds_json", "TEXT"))
# What of a measured gate (baseline.measured_samples) rounds_json keeps.
ROUND_KEYS = ("round_sizes", "round_p50", "reference", "reference_kind", "reference_round_p50")
DEFAULT_PATH = paths.HISTORY_FILE

_TABLES = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, started_at TEXT, commit_id TEXT,
    candidate TEXT, candidate_sha256 TEXT, metric TEXT, verdict TEXT, environment_json TEXT,
    good INTEGER);
CREATE TABLE IF NOT EXISTS gate_results(run_id INTEGER REFERENCES runs(id), operation TEXT,
    unit TEXT, budget REAL, statistic TEXT, p50 REAL, p90 REAL, p99 REAL, max REAL, mad REAL,
    ci_low REAL, ci_high REAL, status TEXT, regression TEXT, change_ratio REAL, p_value REAL,
    samples_json TEXT, platform_p50 REAL, rounds_json TEXT);
CREATE INDEX IF NOT EXISTS gate_results_run ON gate_results(run_id);
"""


@contextlib.contextmanager
def opened(path, create=True):
    """A connection to the history at `path` (created with the schema when `create`)."""
    if not create and not os.path.exists(path):
        raise HarnessError(f"history not found: {path}")
    if create:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise HarnessError(f"cannot open history {path}: {exc}") from None
    try:
        conn.row_factory = sqlite3.Row
        _check_schema(conn, path, create)
        yield conn
    except sqlite3.Error as exc:
        raise HarnessError(f"history {path}: {exc}") from None
    finally:
        conn.close()


def _check_schema(conn, path, create):
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
    ).fetchone()
    if not has_meta:
        if not create:
            raise HarnessError(f"{path}: not a coremod history (no meta table)")
        with conn:
            conn.executescript(_TABLES)
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        return
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if not row or row[0] != SCHEMA_VERSION:
        raise HarnessError(
            f"{path}: history schema version {row[0] if row else 'missing'}, "
            f"this coremod reads version {SCHEMA_VERSION}"
        )
    columns = {r[1] for r in conn.execute("PRAGMA table_info(gate_results)")}
    for column, kind in ADDED_COLUMNS:
        if column not in columns and create:
            with conn:
                conn.execute(f"ALTER TABLE gate_results ADD COLUMN {column} {kind}")


def _in_unit(value, from_unit, to_unit):
    return None if value is None else units.convert(value, from_unit, to_unit)


def gate_row(gate, budget_unit, measured=None):
    """The gate_results values of one gate record (numbers converted to the budget's unit);
    `measured`: its samples as baseline.measured_samples gives them (thinned), with the round
    structure and the same-run reference."""
    measured = measured or {"samples": []}
    samples = measured.get("samples")
    rounds = {k: measured[k] for k in ROUND_KEYS if measured.get(k) is not None}
    shown = gate["unit"]
    conv = lambda key: _in_unit(gate.get(key), shown, budget_unit)  # noqa: E731
    ci = gate.get("budget_ci") or [None, None]
    comparison = gate.get("baseline_comparison") or {}
    return {
        "operation": gate["operation"],
        "unit": budget_unit,
        "budget": conv("budget"),
        "statistic": gate["statistic"],
        "p50": conv("p50"),
        "p90": conv("p90"),
        "p99": conv("p99"),
        "max": conv("max"),
        "mad": conv("mad"),
        "ci_low": _in_unit(ci[0], shown, budget_unit),
        "ci_high": _in_unit(ci[1], shown, budget_unit),
        "status": gate["status"],
        "regression": comparison.get("result"),
        "change_ratio": comparison.get("change_ratio"),
        "p_value": comparison.get("p_adjusted"),
        "samples_json": json.dumps(samples or [], separators=(",", ":")),
        "platform_p50": measured.get("reference_p50", measured.get("platform_p50")),
        "rounds_json": json.dumps(rounds, separators=(",", ":")) if rounds else None,
    }


def is_good(exit_code, gate_records):
    """A run a later one may be compared with: exit 0, every measured gate passed (none failed or
    stayed inconclusive), no regression."""
    if exit_code != 0:
        return False
    for gate in gate_records:
        if gate["status"] in ("fail", "inconclusive", "error"):
            return False
        if (gate.get("baseline_comparison") or {}).get("result") == "regression":
            return False
    return True


def append(
    path,
    *,
    started_at,
    commit_id,
    candidate,
    candidate_sha256,
    metric,
    verdict,
    environment,
    good,
    rows,
):
    """Appends one run and its gate rows (gate_row() dicts); returns the run's id."""
    with opened(path) as conn, conn:
        cur = conn.execute(
            "INSERT INTO runs(started_at, commit_id, candidate, candidate_sha256, metric, "
            "verdict, environment_json, good) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                started_at,
                commit_id,
                candidate,
                candidate_sha256,
                metric,
                verdict,
                json.dumps(environment, sort_keys=True),
                1 if good else 0,
            ),
        )
        run_id = cur.lastrowid
        for row in rows:
            conn.execute(
                "INSERT INTO gate_results(run_id, operation, unit, budget, statistic, p50, p90, "
                "p99, max, mad, ci_low, ci_high, status, regression, change_ratio, p_value, "
                "samples_json, platform_p50, rounds_json) VALUES (:run_id, :operation, :unit, "
                ":budget, :statistic, :p50, :p90, :p99, :max, :mad, :ci_low, :ci_high, :status, "
                ":regression, :change_ratio, :p_value, :samples_json, :platform_p50, "
                ":rounds_json)",
                dict({"platform_p50": None, "rounds_json": None}, **row, run_id=run_id),
            )
        return run_id


def _run_dict(row):
    run = dict(row)
    run["environment"] = json.loads(run.pop("environment_json") or "{}")
    run["good"] = bool(run["good"])
    return run


def last_good(path, metric="time"):
    """The last good run of `metric` as {run fields..., "environment", "gates": {operation:
    {"unit", "samples", "status", ...}}}, or None (no history yet, or no good run in it)."""
    if not os.path.exists(path):
        return None
    with opened(path, create=False) as conn:
        row = conn.execute(
            "SELECT * FROM runs WHERE good = 1 AND metric = ? " "ORDER BY id DESC LIMIT 1",
            (metric,),
        ).fetchone()
        if row is None:
            return None
        run = _run_dict(row)
        run["gates"] = {}
        for gate in conn.execute("SELECT * FROM gate_results WHERE run_id = ?", (run["id"],)):
            entry = dict(gate)
            entry["samples"] = json.loads(entry.pop("samples_json") or "[]")
            entry.update(json.loads(entry.pop("rounds_json", None) or "{}"))
            run["gates"][entry["operation"]] = entry
        return run


def runs(path, limit=None):
    """Every run, oldest first (the last `limit` when given), without their gates."""
    with opened(path, create=False) as conn:
        query = "SELECT * FROM runs ORDER BY id DESC" + (" LIMIT ?" if limit else "")
        rows = conn.execute(query, (limit,) if limit else ()).fetchall()
    return [_run_dict(r) for r in reversed(rows)]


def trend(path, operation, metric="time"):
    """[{run_id, started_at, commit_id, good, unit, p50, p90, p99, ci_low, ci_high, status,
    regression, change_ratio}] of one gate over every run of `metric`, oldest first."""
    with opened(path, create=False) as conn:
        rows = conn.execute(
            "SELECT r.id AS run_id, r.started_at, r.commit_id, r.good, g.unit, g.p50, g.p90, "
            "g.p99, g.ci_low, g.ci_high, g.status, g.regression, g.change_ratio "
            "FROM gate_results g JOIN runs r ON r.id = g.run_id "
            "WHERE g.operation = ? AND r.metric = ? ORDER BY r.id",
            (operation, metric),
        )
        return [dict(r, good=bool(r["good"])) for r in rows]


def operations(path, metric="time"):
    """The gates that appear in the history, in order of first appearance."""
    with opened(path, create=False) as conn:
        rows = conn.execute(
            "SELECT g.operation FROM gate_results g JOIN runs r ON r.id = g.run_id "
            "WHERE r.metric = ? GROUP BY g.operation ORDER BY MIN(g.rowid)",
            (metric,),
        )
        return [r[0] for r in rows]


class Unreadable(Exception):
    """The history cannot be read (the reason, for a reader that shows it instead of trends)."""


def recent_gate_results(path, max_runs):
    """(runs, rows) of the last `max_runs` runs, oldest first, the database opened read-only (a
    report never changes the history): runs (id, started_at, commit_id, metric), rows (run_id,
    operation, unit, budget, p50, p99, status, regression, change_ratio). Unreadable when the
    file cannot be opened or read or holds another schema version."""
    try:
        db = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise Unreadable(f"cannot open the history: {exc}") from None
    try:
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if not version or version[0] != SCHEMA_VERSION:
            raise Unreadable(
                f"history schema version {version[0] if version else 'missing'}, "
                f"this report reads version {SCHEMA_VERSION}"
            )
        runs = db.execute(
            "SELECT id, started_at, commit_id, metric FROM runs ORDER BY id DESC LIMIT ?",
            (max_runs,),
        ).fetchall()
        runs.reverse()
        if not runs:
            return [], []
        run_ids = [r[0] for r in runs]
        marks = ",".join("?" for _ in run_ids)
        rows = db.execute(
            f"SELECT run_id, operation, unit, budget, p50, p99, status, regression, change_ratio "
            f"FROM gate_results WHERE run_id IN ({marks}) ORDER BY run_id, operation",
            run_ids,
        ).fetchall()
    except sqlite3.Error as exc:
        raise Unreadable(f"cannot read the history: {exc}") from None
    finally:
        db.close()
    return runs, rows
