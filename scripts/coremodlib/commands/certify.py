"""`coremod certify`: build, run the conformance suite and the performance gates against a
candidate, and write the reports."""
import argparse

from coremodlib.judge import areas
from coremodlib.run import bootstrap
from coremodlib import paths
from . import options

NAME = "certify"

EXIT_CODES_HELP = """exit codes:
  0  certified: every case of the profile's areas is acceptable (passed, not
     supported, a quality warning or an advisory) and every gate passed; a partial
     run (--area, --case): everything in it passed (never a certification)
  1  rejected: an area failed: a case of a document-level clause failed, crashed
     or timed out, the candidate lacks functions of the area, or (--strict-spec)
     an advisory
  3  rejected: every case is acceptable but a performance gate failed (or, with
     --strict, stayed inconclusive)
  2  no verdict: the harness itself failed (a case ended internal_error, bad
     --impl path, build failure, missing tools, a runner that died for reasons
     that are not the candidate's)"""


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="certify an implementation (default: the reference) and write reports",
        description="Build coremod, run the conformance suite and the performance gates "
        "against a candidate shared library, and write certification.json, "
        "summary.md and junit.xml.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_candidate_options(parser, paths.DEFAULT_OUT_DIR)
    options.add_profile_option(parser)
    parser.add_argument(
        "--area",
        metavar="AREA",
        action="append",
        choices=areas.NAMES,
        help="run only this area of the profile (repeatable; "
        f"{', '.join(areas.NAMES)}): a partial run, not a certification",
    )
    parser.add_argument(
        "--case",
        metavar="GLOB",
        action="append",
        help="run only the cases whose id matches GLOB (fnmatch, e.g. "
        "'CORE-VAL-*'; repeatable), within the profile (and --area): a "
        "partial run, not a certification; no gates",
    )
    options.add_strict_spec_option(parser)
    parser.add_argument(
        "--no-gates",
        action="store_true",
        help="run the conformance suite only, no performance gates",
    )
    options.add_rounds_options(parser)
    options.add_metric_option(parser)
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import certify

    return certify.run(
        measure=options.measure_options(args),
        selection=options.selection(args),
        no_gates=args.no_gates,
        progress=progress,
    )
