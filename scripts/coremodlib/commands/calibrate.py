"""`coremod calibrate`: A/A runs measuring the regression rule's false-positive rate."""
import argparse

from coremodlib.run import bootstrap
from coremodlib import paths, settings
from . import options

NAME = "calibrate"


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="A/A runs: the regression rule's false-positive rate and noise floor",
        description="Measure the gates N times on the same build and compare every pair of "
        "runs with the regression rule: per gate the empirical false-positive rate, "
        "the 95th percentile of |median ratio - 1| and the rates at which an "
        "injected slowdown is caught (10% between quiet runs, 20% when either run "
        "was loaded).",
        epilog="exit codes: 0 measured and written (whatever the rates); 2 the harness could "
        "not run",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_candidate_options(parser, paths.CALIBRATE_OUT_DIR)
    parser.add_argument(
        "--runs",
        metavar="N",
        type=options.positive_int,
        default=settings.DEFAULT_CALIBRATION_RUNS,
        help="independent gate runs (default "
        f"{settings.DEFAULT_CALIBRATION_RUNS}: every ordered pair is an A/A "
        "comparison; with --ab, one A/B run is one comparison)",
    )
    parser.add_argument(
        "--rounds",
        metavar="N",
        type=options.positive_int,
        help=f"rounds per run, as coremod gate (default {settings.DEFAULT_MIN_ROUNDS}; with --ab "
        f"{settings.DEFAULT_AB_ROUNDS} of {settings.DEFAULT_AB_SAMPLES} samples each)",
    )
    parser.add_argument(
        "--load",
        metavar="N[,N...]",
        default="0",
        help="busy processes beside each run, in turn (default 0: none); e.g. "
        "0,1,2 on 2 cores makes consecutive runs see the load change "
        "(stress-ng)",
    )
    parser.add_argument(
        "--ab",
        action="store_true",
        help="A/B runs: every run measures the build against itself in the same "
        "rounds (as gate --against), one paired comparison per run; the "
        "--load levels then take turns during each run",
    )
    parser.add_argument(
        "--load-period",
        metavar="S",
        type=options.positive_float,
        default=settings.DEFAULT_LOAD_PERIOD_S,
        help="with --ab: seconds between two changes of the load (default "
        f"{settings.DEFAULT_LOAD_PERIOD_S:g}; not a divisor of a round's "
        "length, so that changes fall anywhere in a round)",
    )
    parser.add_argument(
        "--record",
        metavar="FILE",
        help="also write the runs' samples to FILE (JSON, schema "
        f"{settings.CALIBRATION_RECORD_SCHEMA}), e.g. tests/data/aa-runs.json",
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="with --record: add this session's runs to the runs already in FILE "
        "(sessions at different times make the A/A pairs see the machine's "
        "slower changes too)",
    )
    parser.add_argument(
        "--record-samples",
        metavar="K",
        type=options.positive_int,
        default=settings.DEFAULT_RECORD_SAMPLES,
        help="samples kept per gate and run in --record, evenly spaced "
        f"(default {settings.DEFAULT_RECORD_SAMPLES})",
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import calibrate

    return calibrate.run(
        measure=options.measure_options(args),
        runs=args.runs,
        load=args.load,
        ab=args.ab,
        load_period=args.load_period,
        record=args.record,
        append=args.append,
        record_samples=args.record_samples,
        progress=progress,
    )
