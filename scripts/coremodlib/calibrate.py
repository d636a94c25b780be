"""`coremod calibrate`: measures how often the regression rule cries wolf on this machine.

Runs the gates N times in a row on the same build (each run a full gate measurement, in rounds,
exactly as `coremod gate` measures), then compares every ordered pair of runs with the regression
rule (calibration.py): each gate's empirical false-positive rate and noise floor, and how often a
slowdown injected into one side is caught (10 % between quiet runs, 20 % when either was loaded).
With --load 0,1,2 the runs take turns with 0, 1 and 2 busy processes beside them
(background_load.py), so the A/A pairs see the load change between two runs, as nights do. Writes calibration.json into --out and, with
--record FILE, the runs' samples (at most --record-samples per gate and run) as the recorded data
the calibration test (tests/test_calibration.py) proves the rule on.
"""
import json
import os

from . import (
    background_load,
    baseline,
    calibration,
    certification,
    environment,
    files,
    gaterun,
    paths,
    settings,
)
from .errors import HarnessError

RECORD_SCHEMA = settings.CALIBRATION_RECORD_SCHEMA
RESULT_NAME = "calibration.json"


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


def _earlier_runs(path):
    """The runs already recorded in `path` (for --append); HarnessError if it is not a record."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise HarnessError(f"--append: cannot read {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != RECORD_SCHEMA:
        raise HarnessError(f"--append: {path} is not a record of schema {RECORD_SCHEMA}")
    return doc["runs"]


def write_record(path, runs, run_meta, budgets, keep, env, earlier=()):
    doc = {
        "schema": RECORD_SCHEMA,
        "about": "Independent runs of `coremod gate`'s measurement on the same build, recorded by "
        "`coremod calibrate --record`; each gate's samples evenly subsampled "
        f"to at most {keep}, in the budget's unit.",
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
        "runs": list(earlier)
        + [
            dict(meta, gates={op: baseline.subsample(entry, keep) for op, entry in run.items()})
            for run, meta in zip(runs, run_meta)
        ],
    }
    files.write_json(path, doc)


def run(args, progress):
    args.max_rounds, args.strict = None, False
    if args.append and not args.record:
        raise HarnessError("--append needs --record FILE")
    earlier = _earlier_runs(args.record) if args.append else []
    levels = background_load.parse_levels(args.load)
    prepared = gaterun.prepare(args, progress, need_suite=False)
    runs, meta = [], []
    for number in range(1, args.runs + 1):
        load = levels[(number - 1) % len(levels)]
        progress.phase(
            f"calibration run {number} of {args.runs}"
            + (f", {load} busy process(es) beside it" if load else "")
        )
        run_dir = os.path.join(prepared.out_dir, f"run{number}")
        os.makedirs(run_dir, exist_ok=True)
        started = certification.now_utc()
        with background_load.busy(load):
            measured = gaterun.measure(prepared, args, progress, out_dir=run_dir)
        runs.append(measured.samples)
        meta.append(
            {
                "started_at": started,
                "candidate_sha256": prepared.candidate["sha256"],
                "runner_sha256": certification.sha256_file(
                    paths.bench_executable(prepared.build_dir)
                ),
                "noise": measured.noise,
                "load": load,
                "rounds": max((e["rounds"] for e in measured.samples.values()), default=0),
            }
        )
    progress.phase("comparing every pair of runs")
    all_runs = [run["gates"] for run in earlier] + runs
    all_loads = [run.get("load", 0) for run in earlier] + [m["load"] for m in meta]
    result = calibration.analyse(prepared.budgets, all_runs, all_loads)
    env = environment.collect(prepared.build_dir)
    result.update(
        candidate=prepared.candidate,
        environment=env,
        noise=[m["noise"] for m in meta],
        rounds=args.rounds,
        samples=args.samples,
    )
    path = os.path.join(prepared.out_dir, RESULT_NAME)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if args.record:
        write_record(args.record, runs, meta, prepared.budgets, args.record_samples, env, earlier)
    progress.finish()
    print(
        f"coremod calibrate: {len(all_runs)} runs of the same build (loads "
        f"{','.join(str(v) for v in all_loads)}), {result['pairs']} ordered A/A comparisons "
        f"per gate"
    )
    print("\n".join("  " + line for line in _table(result)))
    print(f"  results:   {path}" + (f"\n  recorded:  {args.record}" if args.record else ""))
    return 0
