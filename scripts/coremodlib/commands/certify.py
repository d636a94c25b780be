"""`coremod certify`: build, run the conformance suite and the performance gates against a
candidate, and write the reports."""
import argparse

from .. import bootstrap, paths
from . import options

NAME = "certify"

EXIT_CODES_HELP = """exit codes:
  0  certified: every case passed (or is not supported) and every gate passed
  1  rejected: a conformance case failed, crashed or timed out
  3  rejected: every case is acceptable but a performance gate failed (or, with
     --strict, stayed inconclusive)
  2  the harness itself could not run (bad --impl path, build failure, missing
     tools, a runner that died for reasons that are not the candidate's)"""


def add_parser(sub):
    parser = sub.add_parser(
        NAME, help="certify an implementation (default: the reference) and write reports",
        description="Build coremod, run the conformance suite and the performance gates "
                    "against a candidate shared library, and write certification.json, "
                    "summary.md and junit.xml.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_candidate_options(parser, paths.DEFAULT_OUT_DIR)
    parser.add_argument("--no-gates", action="store_true",
                        help="run the conformance suite only, no performance gates")
    options.add_rounds_options(parser)
    options.add_metric_option(parser)
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    from .. import certify  # after its packages are ensured (see commands/__init__.py)
    return certify.run(args, progress)
