"""`coremod gate`: the performance gates alone, optionally against a baseline."""
import argparse

from coremodlib.run import bootstrap
from coremodlib.records import history
from coremodlib import paths
from . import options

NAME = "gate"


EXIT_CODES_HELP = """exit codes:
  0  every measured gate passed (inconclusive ones too, unless --strict), no regression
  3  a gate failed, a gate regressed against the baseline or the --against build (the
     gates are named), or
     with --strict a gate stayed inconclusive
  2  the harness could not run (bad --impl, --baseline or --against, build failure, ...)"""


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="run only the performance gates, optionally against a baseline",
        description="Measure the performance gates of a candidate in rounds, judge each "
        "against its budget with a 95% confidence interval, optionally compare "
        "with a baseline (stored samples, or --against a build measured in the same rounds: "
        "the effect's confidence interval above the larger of the minimum effect "
        "and the noise floor between rounds), append "
        "the run to the history and write the reports. docs/gates.md has the "
        "rules.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_candidate_options(parser, paths.GATE_OUT_DIR)
    options.add_rounds_options(parser)
    options.add_profile_option(parser, what="gates")
    parser.add_argument(
        "--save-baseline",
        metavar="NAME",
        help="save this run's samples as a baseline: perf/baselines/NAME.json, "
        "or the given path when NAME contains '/' or ends in .json",
    )
    compared = parser.add_mutually_exclusive_group()
    compared.add_argument(
        "--baseline",
        metavar="NAME|FILE",
        help="compare with this baseline's stored samples (a name in " "perf/baselines/ or a file)",
    )
    compared.add_argument(
        "--against",
        metavar="REV",
        help="A/B: build the reference at git revision REV (in "
        f"{options.relative(paths.REVISIONS_DIR)}/) and measure it in the "
        "same rounds as the candidate, interleaved, then compare the two; "
        "noise that varies in time hits both",
    )
    compared.add_argument(
        "--against-impl",
        metavar="PATH",
        help="A/B against an implementation already built (e.g. yesterday's "
        ".so of your own implementation), measured as --against does",
    )
    parser.add_argument(
        "--history",
        metavar="PATH",
        default=history.DEFAULT_PATH,
        help="history database the run is appended to (default: "
        f"{options.relative(history.DEFAULT_PATH)})",
    )
    options.add_metric_option(parser)
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import gate

    return gate.run(
        measure=options.measure_options(args),
        history_path=args.history,
        profile=args.profile,
        baseline=args.baseline,
        against=args.against,
        against_impl=args.against_impl,
        save_baseline=args.save_baseline,
        progress=progress,
    )
