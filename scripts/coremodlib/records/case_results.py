"""Reading and checking the suite's case results (JSON Lines, schema coremod-case/1).

The format is the contract of docs/harness-interfaces.md. A line that does not follow it is a
harness fault (the suite and this reader disagree), never something to guess around.
"""
import json

from coremodlib.errors import HarnessError

SCHEMA = "coremod-case/1"
# What the suite reports. `internal_error`: the case failed because of the harness itself (an
# assertion whose message starts with "harness: ", a failed set-up); no verdict on the candidate.
SUITE_STATUSES = (
    "pass",
    "fail",
    "crash",
    "timeout",
    "not_supported",
    "quality_warning",
    "internal_error",
)
# Every status a judged case may have: `advisory` is given by judging.py to a case of a
# coremod-level clause that would have been fail, crash or timeout (its `outcome`).
STATUSES = (
    "pass",
    "fail",
    "crash",
    "timeout",
    "advisory",
    "not_supported",
    "quality_warning",
    "internal_error",
)
REJECTING = ("fail", "crash", "timeout")  # SPEC "Case statuses": any of these rejects
HARNESS_FAULT = "internal_error"  # no verdict (exit 2)
ACCEPTABLE = ("pass", "not_supported", "quality_warning", "advisory")
REQUIRED = ("id", "suite", "clause", "title", "status", "message")


def parse_line(line, where):
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise HarnessError(f"{where}: not JSON ({exc})") from None
    if not isinstance(record, dict):
        raise HarnessError(f"{where}: not a JSON object")
    if record.get("schema") != SCHEMA:
        raise HarnessError(f"{where}: schema is {record.get('schema')!r}, expected {SCHEMA!r}")
    absent = [k for k in REQUIRED if k not in record]
    if absent:
        raise HarnessError(f"{where}: missing keys {', '.join(absent)}")
    if record["status"] not in SUITE_STATUSES:
        raise HarnessError(f"{where}: unknown status {record['status']!r}")
    for key in ("id", "suite", "clause", "title", "message"):
        if not isinstance(record[key], str):
            raise HarnessError(f"{where}: {key} is not a string")
    elapsed = record.get("elapsed_s")
    if elapsed is not None and not isinstance(elapsed, (int, float)):
        raise HarnessError(f"{where}: elapsed_s is not a number")
    return {
        "id": record["id"],
        "suite": record["suite"],
        "clause": record["clause"],
        "title": record["title"],
        "status": record["status"],
        "message": record["message"],
        "elapsed_s": elapsed,
    }


def read_results(path, complete_lines_only=False):
    """The case records in `path`, in file order. A case id reported twice is a harness fault.

    complete_lines_only: ignore a last line without its newline (the suite is still writing it);
    used while polling for progress."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise HarnessError(f"cannot read case results {path}: {exc}") from None
    lines = text.split("\n")
    if complete_lines_only or lines[-1] == "":
        lines = lines[:-1]
    records, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record = parse_line(line, f"{path}:{number}")
        if record["id"] in seen:
            raise HarnessError(f"{path}:{number}: case {record['id']} reported twice")
        seen.add(record["id"])
        records.append(record)
    return records


def count_statuses(cases):
    counts = {status: 0 for status in STATUSES}
    for case in cases:
        counts[case["status"]] = counts.get(case["status"], 0) + 1
    counts["total"] = len(cases)
    return counts
