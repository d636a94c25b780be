"""Report writers: one module per format, each reading the same certification record (schema
coremod-certification/2, built by coremodlib.judge.certification; docs/report-schema.md). The HTML
report also reads the history database and the latest coverage run beside it, when they exist."""
import os

from coremodlib.records import files  # writes every result file the same way

from . import html_report, json_report, junit_report, markdown_report

WRITERS = (
    (json_report.FILE_NAME, json_report.render),
    (markdown_report.FILE_NAME, markdown_report.render),
    (junit_report.FILE_NAME, junit_report.render),
    (html_report.FILE_NAME, html_report.render),
)
FILE_NAMES = tuple(name for name, _ in WRITERS)


def write_all(certification, out_dir):
    """Writes every report into `out_dir`; returns their paths. Each file is written to a
    temporary name first and renamed, so a reader never sees half a report."""
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for name, render in WRITERS:
        path = os.path.join(out_dir, name)
        files.write_atomically(path, render(certification))
        written.append(path)
    return written


def remove_stale(out_dir):
    """Removes reports of an earlier run from `out_dir` (so that a run that could not give a
    verdict does not leave an old verdict looking current)."""
    for name in FILE_NAMES:
        path = os.path.join(out_dir, name)
        if os.path.exists(path):
            os.remove(path)
