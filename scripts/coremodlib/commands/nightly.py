"""`coremod nightly`: certify, compare the gates with the last good run, record, report."""
import argparse

from coremodlib.run import bootstrap
from coremodlib.records import history
from coremodlib import paths
from . import options

NAME = "nightly"


EXIT_CODES_HELP = """exit codes:
  0  certified, and no gate regressed against the last good run
  1  rejected: an area failed (a case of a document-level clause failed, crashed
     or timed out, functions missing, or with --strict-spec an advisory)
  3  rejected: a gate failed or regressed against the last good run (named), or
     with --strict a gate stayed inconclusive
  2  no verdict: the harness itself failed (a case ended internal_error, ...)"""


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="certify, compare the gates with the last good run, record, report",
        description="Run certify on a candidate, compare its performance gates with the last "
        "good run in the history (regression rule of docs/gates.md), append the run "
        "to the history and write the reports.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_candidate_options(parser, paths.NIGHTLY_OUT_DIR)
    options.add_rounds_options(parser)
    options.add_profile_option(parser)
    options.add_strict_spec_option(parser)
    parser.add_argument(
        "--history",
        metavar="PATH",
        default=history.DEFAULT_PATH,
        help="history database: the baseline comes from its last good run and "
        "this run is appended (default: "
        f"{options.relative(history.DEFAULT_PATH)})",
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import nightly

    return nightly.run(
        measure=options.measure_options(args),
        selection=options.selection(args),
        history_path=args.history,
        progress=progress,
    )
