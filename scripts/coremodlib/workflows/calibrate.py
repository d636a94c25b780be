"""`coremod calibrate`: measures how often the regression rule cries wolf on this machine.

Runs the gates N times in a row on the same build (each run a full gate measurement, in rounds,
exactly as `coremod gate` measures), then compares every ordered pair of runs with the regression
rule (calibration.py): each gate's empirical false-positive rate and noise floor, and how often a
slowdown injected into one side is caught (10 % between quiet runs, 20 % when either was loaded).
With --load 0,1,2 the runs take turns with 0, 1 and 2 busy processes beside them
(background_load.py), so the A/A pairs see the load change between two runs, as nights do.

With --ab every run is an A/B run of the build against itself (the mode `gate --against` and the
nightly gate use when the baseline build is at hand): one paired A/A comparison per run, and the
--load levels take turns *during* the run, every --load-period seconds (each run starting at the
next level), so the load changes between rounds and between the two builds' processes of a round.

Writes calibration.json into --out and, with --record FILE, the runs' samples (at most
--record-samples per gate and run; in A/B runs both sides) as the recorded data the calibration
test (tests/test_calibration.py) proves the rule on.
"""
import dataclasses
import json
import os

from coremodlib.run import background_load, measurement
from coremodlib.records import baseline, files
from coremodlib.judge import certification
from coremodlib.machine import candidate
from coremodlib.judge import calibration
from coremodlib.machine import environment
from coremodlib import paths, settings
from coremodlib.errors import HarnessError

RECORD_SCHEMA = settings.CALIBRATION_RECORD_SCHEMA
RESULT_NAME = "calibration.json"
STORED, AB = "stored", "A/B"
ABOUT = {
    STORED: "Independent runs of `coremod gate`'s measurement on the same build, recorded by "
    "`coremod calibrate --record`",
    AB: "A/B runs of `coremod gate`'s measurement, the same build on both sides in the same "
    "rounds (`gates`: the candidate side, `against`: the baseline side), recorded by "
    "`coremod calibrate --ab --record`; `loads`: the background load's levels in turn "
    "during the run, every `load_period_s`",
}


def _rate(value):
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _table(result):
    width = max([len("gate")] + [len(op) for op in result["gates"]])
    lines = [
        f"{'gate':<{width}} {'A/A':>5} {'false +':>8} {'rate':>7} {'load chg':>9} "
        f"{'inconcl.':>8} {'|change| p95':>12} {'10% quiet':>10} {'20% loaded':>11}"
    ]
    for op, g in result["gates"].items():
        floor = "n/a" if g["noise_floor"] is None else f"{g['noise_floor'] * 100:.2f}%"
        changed = (
            f"{g['load_change_false_regressions']}/{g['load_change_comparisons']}"
            if g["load_change_comparisons"]
            else "-"
        )
        lines.append(
            f"{op:<{width}} {g['comparisons']:>5} {g['false_regressions']:>8} "
            f"{g['false_positive_rate'] * 100:>6.2f}% {changed:>9} "
            f"{g['inconclusive']:>8} {floor:>12} {_rate(g['quiet_detection_rate']):>10} "
            f"{_rate(g['loaded_detection_rate']):>11}"
        )
    lines.append(
        f"any gate falsely flagged in {result['any_gate_false_positives']} of "
        f"{result['pairs']} A/A comparisons "
        f"({result['any_gate_false_positive_rate'] * 100:.2f}%)"
    )
    return lines


def _earlier_runs(path, mode):
    """The runs already recorded in `path` (for --append); HarnessError if it is not a record of
    runs of this `mode` ("stored" or "A/B")."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise HarnessError(f"--append: cannot read {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != RECORD_SCHEMA:
        raise HarnessError(f"--append: {path} is not a record of schema {RECORD_SCHEMA}")
    if doc.get("mode", STORED) != mode:
        raise HarnessError(
            f"--append: {path} records {doc.get('mode', STORED)} runs, not {mode} "
            f"ones: {'give' if mode == STORED else 'drop'} --ab to add to it, or record into "
            f"another FILE"
        )
    return doc["runs"]


def _kept(samples, keep):
    return {op: baseline.subsample(entry, keep) for op, entry in samples.items()}


def write_record(path, runs, run_meta, budgets, keep, env, earlier=(), mode=STORED):
    """`runs`: per run {operation: measured entry}, or for A/B runs (gates, against)."""
    recorded = []
    for run, meta in zip(runs, run_meta):
        if mode == AB:
            recorded.append(dict(meta, gates=_kept(run[0], keep), against=_kept(run[1], keep)))
        else:
            recorded.append(dict(meta, gates=_kept(run, keep)))
    doc = {
        "schema": RECORD_SCHEMA,
        "mode": mode,
        "about": f"{ABOUT[mode]}; each gate's samples evenly subsampled to at most {keep}, in "
        "the budget's unit.",
        "environment": env,
        "budgets": {
            b.operation: {
                "unit": b.unit,
                "statistic": b.statistic,
                "comparison": b.comparison,
                "min_effect": b.min_effect,
            }
            for b in budgets
        },
        "runs": list(earlier) + recorded,
    }
    files.write_json(path, doc)


def ab_runs(recorded_runs):
    """calibration.analyse_ab's runs from a record's A/B runs."""
    return [
        {
            "gates": run["gates"],
            "against": run["against"],
            "quiet": not any(run.get("loads") or [run.get("load", 0)]),
        }
        for run in recorded_runs
    ]


def _rotated(levels, number):
    start = (number - 1) % len(levels)
    return levels[start:] + levels[:start]


def run(
    *,
    measure,
    runs,
    load,
    progress,
    ab=False,
    load_period=settings.DEFAULT_LOAD_PERIOD_S,
    record=None,
    append=False,
    record_samples=settings.DEFAULT_RECORD_SAMPLES,
):
    """`coremod calibrate`: `runs` runs of one build measured as `measure` says (each an A/B run
    of the build against itself with `ab`), beside the background `load` levels (text "0,1,2";
    changing every `load_period` seconds during an A/B run); the rates of docs/gates.md printed
    and written, and the runs recorded into the file `record` (added to it with `append`,
    `record_samples` samples kept per gate). The exit code."""
    if append and not record:
        raise HarnessError("--append needs --record FILE")
    measure = dataclasses.replace(measure, max_rounds=None, strict=False)
    mode = AB if ab else STORED
    earlier = _earlier_runs(record, mode) if append else []
    levels = background_load.parse_levels(load)
    prepared = measurement.prepare(measure, progress, need_suite=False)
    itself = measurement.Against(prepared.impl, "the same build (A/A)", prepared.impl, None)
    run_count, runs, meta = runs, [], []
    for number in range(1, run_count + 1):
        run_dir = os.path.join(prepared.out_dir, f"run{number}")
        os.makedirs(run_dir, exist_ok=True)
        started = certification.now_utc()
        if mode == AB:
            loads = _rotated(levels, number)
            progress.phase(
                f"calibration run {number} of {run_count}, A/B"
                + (
                    f", load {','.join(map(str, loads))} every {load_period:g}s"
                    if any(loads)
                    else ""
                )
            )
            with background_load.cycling(loads, load_period) as cycle:
                measured = measurement.measure(
                    prepared, measure, progress, out_dir=run_dir, against=itself
                )
            runs.append((measured.samples, measured.against_samples))
            load_facts = {
                "loads": loads,
                "load_period_s": load_period,
                "load_changes": cycle.changes,
                "load": max(loads),
            }
        else:
            busy = levels[(number - 1) % len(levels)]
            progress.phase(
                f"calibration run {number} of {run_count}"
                + (f", {busy} busy process(es) beside it" if busy else "")
            )
            with background_load.busy(busy):
                measured = measurement.measure(prepared, measure, progress, out_dir=run_dir)
            runs.append(measured.samples)
            load_facts = {"load": busy}
        meta.append(
            dict(
                {
                    "started_at": started,
                    "candidate_sha256": prepared.candidate["sha256"],
                    "runner_sha256": candidate.sha256_file(
                        paths.bench_executable(prepared.build_dir)
                    ),
                    "noise": measured.noise,
                    "rounds": max((e["rounds"] for e in measured.samples.values()), default=0),
                },
                **load_facts,
            )
        )
    if mode == AB:
        progress.phase("judging every run's two sides")
        all_runs = ab_runs(earlier) + ab_runs(
            [dict(m, gates=r[0], against=r[1]) for r, m in zip(runs, meta)]
        )
        result = calibration.analyse_ab(prepared.budgets, all_runs)
    else:
        progress.phase("comparing every pair of runs")
        all_runs = [run["gates"] for run in earlier] + runs
        all_loads = [run.get("load", 0) for run in earlier] + [m["load"] for m in meta]
        result = calibration.analyse(prepared.budgets, all_runs, all_loads)
    env = environment.collect(prepared.build_dir)
    result.update(
        candidate=prepared.candidate,
        environment=env,
        noise=[m["noise"] for m in meta],
        rounds=measurement.round_plan(measure, ab=mode == AB)._asdict(),
        samples=measure.samples,
    )
    path = os.path.join(prepared.out_dir, RESULT_NAME)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if record:
        write_record(record, runs, meta, prepared.budgets, record_samples, env, earlier, mode)
    progress.finish()
    if mode == AB:
        print(
            f"coremod calibrate: {len(all_runs)} A/B runs of the build against itself "
            f"({result['quiet_runs']} quiet, {len(all_runs) - result['quiet_runs']} with a "
            f"load changing during the run), one paired A/A comparison per run and gate"
        )
    else:
        print(
            f"coremod calibrate: {len(all_runs)} runs of the same build (loads "
            f"{','.join(str(v) for v in all_loads)}), {result['pairs']} ordered A/A "
            f"comparisons per gate"
        )
    print("\n".join("  " + line for line in _table(result)))
    print(f"  results:   {path}" + (f"\n  recorded:  {record}" if record else ""))
    return 0
