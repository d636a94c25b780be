"""`coremod report`: the HTML report of a run, one self-contained file
(coremod_reports.html_report).

certify, gate and nightly write report.html with the rest of their reports; this command
(re)writes it from a run's certification.json, e.g. with another history or after
`coremod coverage`.
"""
import json
import os

from coremod_reports import html_report

from . import files, history, paths
from .errors import HarnessError

CERT_NAME = "certification.json"


def add_parser(sub):
    parser = sub.add_parser(
        "report", help="write the HTML report of a run (one self-contained file)",
        description="Render a run's certification.json as one self-contained HTML page: verdict, "
                    "conformance by area, every gate with its distribution plot, history "
                    "trends, the whole-process benchmark, the environment and noise warnings, "
                    "and the coverage summary. Inline CSS and SVG only: no scripts, nothing "
                    "fetched.")
    parser.add_argument("--in", dest="in_dir", metavar="DIR", default=paths.DEFAULT_OUT_DIR,
                        help="directory holding the run's certification.json (default: "
                             f"{os.path.relpath(paths.DEFAULT_OUT_DIR, paths.REPO_ROOT)})")
    parser.add_argument("--history", metavar="PATH",
                        help="history database for the trends, read only (default: the one the "
                             "run names, else "
                             f"{os.path.relpath(history.DEFAULT_PATH, paths.REPO_ROOT)})")
    coverage_dir = os.path.relpath(html_report.DEFAULT_COVERAGE_DIR, paths.REPO_ROOT)
    parser.add_argument("--coverage", metavar="DIR", default=html_report.DEFAULT_COVERAGE_DIR,
                        help=f"directory of the latest `coremod coverage` run (default: "
                             f"{coverage_dir})")
    parser.add_argument("--out", metavar="FILE",
                        help="the HTML file to write (default: DIR/report.html)")
    return parser


def load_certification(in_dir):
    path = os.path.join(os.path.abspath(in_dir), CERT_NAME)
    try:
        with open(path, encoding="utf-8") as f:
            cert = json.load(f)
    except FileNotFoundError:
        raise HarnessError(f"no {CERT_NAME} in {in_dir}: run ./scripts/coremod certify (or gate) "
                           f"first, or give --in DIR") from None
    except (OSError, ValueError) as exc:
        raise HarnessError(f"cannot read {path}: {exc}") from None
    if not isinstance(cert, dict) or not str(cert.get("schema", "")).startswith(
            "coremod-certification/"):
        raise HarnessError(f"{path} is not a coremod certification record")
    return cert


def run(args, progress):
    cert = load_certification(args.in_dir)
    out = os.path.abspath(args.out or os.path.join(args.in_dir, html_report.FILE_NAME))
    progress.phase(f"writing {out}")
    text = html_report.render(cert, history_path=args.history and os.path.abspath(args.history),
                              coverage_dir=os.path.abspath(args.coverage))
    files.write_atomically(out, text)
    progress.finish()
    print(f"coremod report: {cert.get('verdict', '?').upper()}: wrote {out}")
    return 0
