"""`coremod coverage`: line coverage of impl/, failing under a threshold."""
import argparse

from coremodlib.run import bootstrap
from coremodlib import paths, settings
from . import options

NAME = "coverage"


EXIT_CODES_HELP = """exit codes:
  0  impl/ line coverage is at or above the threshold
  1  it is below the threshold (the figure and the threshold are printed)
  2  the harness could not run (build failure, gcovr missing, ...)"""


def _threshold(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage 0..100: {value}")
    return value


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="measure line coverage of impl/ and fail under a threshold",
        description="Build with coverage (-Db_coverage=true) in a separate build directory, run "
        "the conformance suite against that build's reference and the meson tests "
        "(coremod-exercise, platform and kernel tests), and write gcovr's HTML and "
        "Cobertura XML reports. Fails when the share of impl/ lines executed is "
        "under the threshold.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--threshold",
        metavar="PERCENT",
        type=_threshold,
        default=settings.DEFAULT_COVERAGE_THRESHOLD,
        help=f"minimum share of impl/ lines executed (default "
        f"{settings.DEFAULT_COVERAGE_THRESHOLD:g})",
    )
    parser.add_argument(
        "--build-dir",
        metavar="DIR",
        default=paths.COVERAGE_BUILD_DIR,
        help="coverage build directory (default: " f"{options.relative(paths.COVERAGE_BUILD_DIR)})",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=paths.COVERAGE_OUT_DIR,
        help="directory for index.html, coverage.xml and the summary (default: "
        f"{options.relative(paths.COVERAGE_OUT_DIR)})",
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import coverage

    return coverage.run(
        build_dir=args.build_dir, out=args.out, threshold=args.threshold, progress=progress
    )
