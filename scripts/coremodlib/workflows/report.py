"""`coremod report`: the HTML report of a run, one self-contained file
(coremodlib.report.html_report).

certify, gate and nightly write report.html with the rest of their reports; this command
(re)writes it from a run's certification.json, e.g. with another history or after
`coremod coverage`.
"""
import json
import os

from coremodlib.report import html_report

from coremodlib.records import files
from coremodlib.errors import HarnessError

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


def run(*, in_dir, coverage_dir, progress, out=None, history=None):
    """`coremod report`: (re)write the HTML report of the run in `in_dir` to `out` (default:
    beside its certification.json), with the trends of `history` and the coverage run in
    `coverage_dir`. The exit code."""
    cert = load_certification(in_dir)
    out = os.path.abspath(out or os.path.join(in_dir, html_report.FILE_NAME))
    progress.phase(f"writing {out}")
    text = html_report.render(
        cert,
        history_path=history and os.path.abspath(history),
        coverage_dir=os.path.abspath(coverage_dir),
    )
    files.write_atomically(out, text)
    progress.finish()
    print(f"coremod report: {cert.get('verdict', '?').upper()}: wrote {out}")
    return 0
