"""`coremod calibrate`: measures how often the regression rule cries wolf on this machine.

Runs the gates N times in a row on the same build (each run a full gate measurement, in rounds,
exactly as `coremod gate` measures), then compares every ordered pair of runs with the regression
rule (calibration.py): each gate's empirical false-positive rate and noise floor, and how often a
10 % slowdown injected into one side is caught. Writes calibration.json into --out and, with
--record FILE, the runs' samples (at most --record-samples per gate and run) as the recorded data
the calibration test (tests/test_calibration.py) proves the rule on.
"""
import argparse
import json
import os

from . import baseline, calibration, certification, environment, files, gaterun, paths, rounds
from .errors import HarnessError

DEFAULT_OUT_DIR = os.path.join(paths.REPO_ROOT, "reports", "calibrate")
RECORD_SCHEMA = "coremod-perf-samples/1"
RESULT_NAME = "calibration.json"


def add_parser(sub):
    parser = sub.add_parser(
        "calibrate", help="A/A runs: the regression rule's false-positive rate and noise floor",
        description="Measure the gates N times on the same build and compare every pair of "
                    "runs with the regression rule: per gate the empirical false-positive rate, "
                    "the noise floor (95th percentile of |median ratio - 1|) and the rate at "
                    "which an injected 10% slowdown is caught.",
        epilog="exit codes: 0 measured and written (whatever the rates); 2 the harness could "
               "not run", formatter_class=argparse.RawDescriptionHelpFormatter)
    gaterun.add_candidate_options(parser, DEFAULT_OUT_DIR)
    parser.add_argument("--runs", metavar="N", type=gaterun.positive_int, default=10,
                        help="independent gate runs (default 10: 90 ordered A/A pairs)")
    parser.add_argument("--rounds", metavar="N", type=gaterun.positive_int,
                        default=rounds.DEFAULT_MIN_ROUNDS,
                        help="rounds per run, as coremod gate (default "
                             f"{rounds.DEFAULT_MIN_ROUNDS})")
    parser.add_argument("--record", metavar="FILE",
                        help="also write the runs' samples to FILE (JSON, schema "
                             f"{RECORD_SCHEMA}), e.g. tests/data/aa-runs.json")
    parser.add_argument("--append", action="store_true",
                        help="with --record: add this session's runs to the runs already in FILE "
                             "(sessions at different times make the A/A pairs see the machine's "
                             "slower changes too)")
    parser.add_argument("--record-samples", metavar="K", type=gaterun.positive_int, default=200,
                        help="samples kept per gate and run in --record, evenly spaced "
                             "(default 200)")
    return parser


def _table(result):
    width = max([len("gate")] + [len(op) for op in result["gates"]])
    lines = [f"{'gate':<{width}} {'A/A':>5} {'false +':>8} {'rate':>7} {'noise floor':>12} "
             f"{'min effect':>11} {'10% caught':>11}"]
    for op, g in result["gates"].items():
        floor = "n/a" if g["noise_floor"] is None else f"{g['noise_floor'] * 100:.2f}%"
        lines.append(f"{op:<{width}} {g['comparisons']:>5} {g['false_regressions']:>8} "
                     f"{g['false_positive_rate'] * 100:>6.2f}% {floor:>12} "
                     f"{g['min_effect'] * 100:>10g}% {g['detection_rate'] * 100:>10.1f}%")
    lines.append(f"any gate falsely flagged in {result['any_gate_false_positives']} of "
                 f"{result['pairs']} A/A comparisons "
                 f"({result['any_gate_false_positive_rate'] * 100:.2f}%)")
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
        "budgets": {b.operation: {"unit": b.unit, "statistic": b.statistic,
                                  "comparison": b.comparison, "min_effect": b.min_effect}
                    for b in budgets},
        "runs": list(earlier) + [dict(meta, gates={op: baseline.subsample(entry, keep)
                                                   for op, entry in run.items()})
                                 for run, meta in zip(runs, run_meta)],
    }
    files.write_json(path, doc)


def run(args, progress):
    args.max_rounds, args.strict = None, False
    if args.append and not args.record:
        raise HarnessError("--append needs --record FILE")
    earlier = _earlier_runs(args.record) if args.append else []
    prepared = gaterun.prepare(args, progress, need_suite=False)
    runs, meta = [], []
    for number in range(1, args.runs + 1):
        progress.phase(f"calibration run {number} of {args.runs}")
        run_dir = os.path.join(prepared.out_dir, f"run{number}")
        os.makedirs(run_dir, exist_ok=True)
        started = certification.now_utc()
        measured = gaterun.measure(prepared, args, progress, out_dir=run_dir)
        runs.append(measured.samples)
        meta.append({"started_at": started, "candidate_sha256": prepared.candidate["sha256"],
                     "runner_sha256": certification.sha256_file(
                         paths.bench_executable(prepared.build_dir)),
                     "noise": measured.noise,
                     "rounds": max((e["rounds"] for e in measured.samples.values()), default=0)})
    progress.phase("comparing every pair of runs")
    result = calibration.analyse(prepared.budgets, runs)
    env = environment.collect(prepared.build_dir)
    result.update(candidate=prepared.candidate, environment=env,
                  noise=[m["noise"] for m in meta], rounds=args.rounds, samples=args.samples)
    path = os.path.join(prepared.out_dir, RESULT_NAME)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if args.record:
        write_record(args.record, runs, meta, prepared.budgets, args.record_samples, env,
                     earlier)
    progress.finish()
    print(f"coremod calibrate: {args.runs} runs of the same build, {result['pairs']} ordered A/A "
          f"comparisons per gate")
    print("\n".join("  " + line for line in _table(result)))
    print(f"  results:   {path}" + (f"\n  recorded:  {args.record}" if args.record else ""))
    return 0
