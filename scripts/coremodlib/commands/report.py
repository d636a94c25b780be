"""`coremod report`: the HTML report of a run, one self-contained file."""

from coremodlib.run import bootstrap
from coremodlib.records import history
from coremodlib import paths
from . import options

NAME = "report"


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="write the HTML report of a run (one self-contained file)",
        description="Render a run's certification.json as one self-contained HTML page: verdict, "
        "conformance by area, every gate with its distribution plot, history "
        "trends, the whole-process benchmark, the environment and noise warnings, "
        "and the coverage summary. Inline CSS and SVG only: no scripts, nothing "
        "fetched.",
    )
    parser.add_argument(
        "--in",
        dest="in_dir",
        metavar="DIR",
        default=paths.DEFAULT_OUT_DIR,
        help="directory holding the run's certification.json (default: "
        f"{options.relative(paths.DEFAULT_OUT_DIR)})",
    )
    parser.add_argument(
        "--history",
        metavar="PATH",
        help="history database for the trends, read only (default: the one the "
        "run names, else "
        f"{options.relative(history.DEFAULT_PATH)})",
    )
    coverage_dir = options.relative(paths.COVERAGE_OUT_DIR)
    parser.add_argument(
        "--coverage",
        metavar="DIR",
        default=paths.COVERAGE_OUT_DIR,
        help=f"directory of the latest `coremod coverage` run (default: " f"{coverage_dir})",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="the HTML file to write (default: DIR/report.html)"
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import report

    return report.run(
        in_dir=args.in_dir,
        out=args.out,
        history=args.history,
        coverage_dir=args.coverage,
        progress=progress,
    )
