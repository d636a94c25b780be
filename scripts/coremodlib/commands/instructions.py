"""`coremod instructions`: instruction counts per operation under callgrind."""
import argparse

from coremodlib.run import bootstrap, instructions as instruction_counts
from coremodlib import paths
from . import options

NAME = "instructions"


EXIT_CODES_HELP = """exit codes:
  0  no operation is more than 1% above the baseline (or the baseline is not
     comparable with this toolchain, or there is none: both are said)
  3  an operation's count is more than 1% above the baseline (named)
  2  the harness could not run (no valgrind, build failure, ...)"""


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="count instructions per operation under callgrind (deterministic)",
        description="Count the instructions each timed operation executes, under valgrind's "
        "callgrind with collection switched on only around the measured operation "
        "(identical from run to run), and compare them with the committed baseline "
        "perf/baselines/instructions-<machine>.json (1%% threshold).",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--impl",
        metavar="PATH",
        help="the candidate shared library (default: the reference build's " "impl/libcoremod.so)",
    )
    options.add_build_dir_option(parser)
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=paths.INSTRUCTIONS_OUT_DIR,
        help="directory for callgrind's files and instructions.json (default: "
        f"{options.relative(paths.INSTRUCTIONS_OUT_DIR)})",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        help="baseline to compare with (default: "
        f"{options.relative(instruction_counts.baseline_path())})",
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="write this measurement as the baseline (only for the reference; " "commit the file)",
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import instructions

    return instructions.run(
        build_dir=args.build_dir,
        out=args.out,
        impl=args.impl,
        baseline=args.baseline,
        update_baseline=args.update_baseline,
        progress=progress,
    )
