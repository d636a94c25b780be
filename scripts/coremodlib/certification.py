"""The verdict and the certification record every report is written from.

The record (schema coremod-certification/1) is plain JSON data; the writers in coremod_reports
only format it. Exit codes of `coremod certify`: 0 certified; 1 a case failed, crashed or timed
out; 3 every case is acceptable but a performance gate failed; 2 (raised as HarnessError
elsewhere) no verdict could be given.
"""
import datetime
import hashlib
import os

from . import case_results, gates as gates_mod

SCHEMA = "coremod-certification/1"

EXIT_CERTIFIED = 0
EXIT_CASE_FAILED = 1
EXIT_HARNESS = 2
EXIT_GATE_FAILED = 3


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def decide(cases, gates):
    """(verdict, exit code, reason) from case and gate records."""
    rejecting = [c for c in cases if c["status"] in case_results.REJECTING]
    if rejecting:
        ids = ", ".join(f"{c['id']} ({c['status']})" for c in rejecting[:10])
        more = f" and {len(rejecting) - 10} more" if len(rejecting) > 10 else ""
        return "rejected", EXIT_CASE_FAILED, f"{len(rejecting)} case(s) did not pass: {ids}{more}"
    failed_gates = [g for g in gates if g["status"] == "fail"]
    if failed_gates:
        ops = ", ".join(g["operation"] for g in failed_gates)
        return ("rejected", EXIT_GATE_FAILED,
                f"{len(failed_gates)} performance gate(s) failed: {ops}")
    passed = sum(1 for g in gates if g["status"] == "pass")
    not_judged = len(gates) - passed
    if not passed:
        gate_text = "performance gates were not run"
    elif not not_judged:
        gate_text = f"all {passed} performance gates passed"
    else:
        gate_text = f"{passed} performance gate(s) passed, {not_judged} not judged"
    return "certified", EXIT_CERTIFIED, f"every case passed or is not supported; {gate_text}"


def candidate_record(path, is_reference):
    return {
        "path": os.path.abspath(path),
        "sha256": sha256_file(path),
        "size_bytes": os.path.getsize(path),
        "is_reference": is_reference,
    }


def assemble(*, candidate, cases, gates, measurements, gates_note, environment, suite, bench,
             started_at, finished_at, harness_version, options, artifacts):
    cases = sorted(cases, key=lambda c: c["id"])  # stable order, whatever order cases ended in
    verdict, exit_code, reason = decide(cases, gates)
    return {
        "schema": SCHEMA,
        "harness_version": harness_version,
        "verdict": verdict,
        "exit_code": exit_code,
        "reason": reason,
        "candidate": candidate,
        "started_at": started_at,
        "finished_at": finished_at,
        "options": options,
        "environment": environment,
        "suite": suite,
        "counts": case_results.count_statuses(cases),
        "cases": cases,
        "gates_note": gates_note,
        "gate_counts": gates_mod.count_statuses(gates),
        "gates": gates,
        "measurements": measurements,
        "bench": bench,
        "artifacts": artifacts,
    }
