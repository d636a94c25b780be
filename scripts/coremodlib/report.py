"""`coremod report`: the HTML report of a run, one self-contained file
(coremod_reports.html_report).

certify, gate and nightly write report.html with the rest of their reports; this command
(re)writes it from a run's certification.json, e.g. with another history or after
`coremod coverage`.
"""
import json
import os

from coremod_reports import html_report

from . import files
from .errors import HarnessError

CERT_NAME = "certification.json"


def load_certification(in_dir):
    path = os.path.join(os.path.abspath(in_dir), CERT_NAME)
    try:
        with open(path, encoding="utf-8") as f:
            cert = json.load(f)
    except FileNotFoundError:
        raise HarnessError(
            f"no {CERT_NAME} in {in_dir}: run ./scripts/coremod certify (or gate) "
            f"first, or give --in DIR"
        ) from None
    except (OSError, ValueError) as exc:
        raise HarnessError(f"cannot read {path}: {exc}") from None
    if not isinstance(cert, dict) or not str(cert.get("schema", "")).startswith(
        "coremod-certification/"
    ):
        raise HarnessError(f"{path} is not a coremod certification record")
    return cert


def run(args, progress):
    cert = load_certification(args.in_dir)
    out = os.path.abspath(args.out or os.path.join(args.in_dir, html_report.FILE_NAME))
    progress.phase(f"writing {out}")
    text = html_report.render(
        cert,
        history_path=args.history and os.path.abspath(args.history),
        coverage_dir=os.path.abspath(args.coverage),
    )
    files.write_atomically(out, text)
    progress.finish()
    print(f"coremod report: {cert.get('verdict', '?').upper()}: wrote {out}")
    return 0
