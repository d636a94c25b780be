"""`coremod nightly`: certify the candidate, compare its gates with the last good run in the
history, append this run to the history and write the reports.

The gates are measured once, inside the certification, and those same samples are compared with
the last good run (measuring them a second time would double the run for nothing). On the first
night there is no good run yet: nothing is compared, the record says so, and if this run is good
it becomes the baseline of the next. Exit codes as certify's: 3 names the gates that failed or
regressed.
"""
import os

import coremod_reports

from . import certify, gaterun, history


def baseline_from_history(run):
    """The history run's gates in the shape regression.compare takes."""
    return {op: {"unit": g["unit"], "samples": g["samples"],
                 "platform_p50": g.get("platform_p50")}
            for op, g in run["gates"].items() if g.get("samples")}


def run(args, progress):
    args.no_gates = False
    history_path = os.path.abspath(args.history)
    last = history.last_good(history_path)
    if last is None:
        progress.note(f"first night: no good run in {history_path} yet; the gates are judged "
                      f"against their budgets only, nothing is compared")

    def compare_with(prepared, measured, env):
        if last is None:
            return {"name": None, "source": history_path, "environment_warnings": [],
                    "note": "first night: no good run in the history yet; nothing compared"}
        name = f"history run {last['id']} ({last['started_at']})"
        entry = gaterun.compare(prepared, measured, baseline_from_history(last), name,
                                last.get("environment"), env, progress, source=history_path)
        entry["run_id"] = last["id"]
        return entry

    cert, prepared, measured = certify.execute(args, progress, compare_with=compare_with)
    # The HTML report reads its trends from this history; tonight's run goes in first, so the
    # trends end with it (and mark its regressions).
    cert["options"]["history"] = history_path
    run_id = gaterun.append_history(history_path, cert, prepared, measured) if measured else \
        _append_without_gates(history_path, cert)
    written = write_reports(cert, prepared.out_dir)
    progress.finish()
    print(certify.summary_text(cert, written, command="nightly"))
    if last is None:
        print("  baseline:  first night: no good run in the history yet, nothing compared")
    else:
        print(f"  baseline:  history run {last['id']} ({last['started_at']})")
    print(f"  history:   run {run_id} in {history_path}"
          + (" (good: later nights compare with it)" if history.is_good(
              cert["exit_code"], cert["gates"]) else ""))
    return cert["exit_code"]


def write_reports(cert, out_dir):
    """Every report writer of coremod_reports (coremod_reports.WRITERS: add a writer there and
    nightly, certify and gate all write it)."""
    return coremod_reports.write_all(cert, out_dir)


def _append_without_gates(path, cert):
    """A night whose gates did not run (cases failed) is still recorded, as not good."""
    return history.append(
        path, started_at=cert["started_at"], commit_id=cert["environment"].get("commit"),
        candidate=cert["candidate"]["path"], candidate_sha256=cert["candidate"]["sha256"],
        metric="time", verdict=cert["verdict"], environment=cert["environment"], good=False,
        rows=[])
