"""The verdict and the certification record every report is written from.

The record (schema coremod-certification/2) is plain JSON data; the writers in coremod_reports
only format it. `coremod gate` writes the same record with scope "gate" (no conformance cases;
verdict passed/failed instead of certified/rejected). Exit codes: 0 certified (passed); 1 a case
failed, crashed or timed out; 3 every case is acceptable but a performance gate failed, a gate
regressed against the baseline, or (with --strict) a gate stayed inconclusive; 2 (raised as
HarnessError elsewhere) no verdict could be given.
"""
import datetime
import hashlib
import os

from . import case_results, elfmachine, gates as gates_mod

SCHEMA = "coremod-certification/2"
VERDICT_WORDS = {"certification": ("certified", "rejected"), "gate": ("passed", "failed")}

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


def _gate_problems(gates, strict):
    """Reasons the gates reject the candidate (empty when they do not)."""
    problems = []
    failed = [g["operation"] for g in gates if g["status"] == "fail"]
    if failed:
        problems.append(f"{len(failed)} performance gate(s) failed: {', '.join(failed)}")
    regressed = [g for g in gates
                 if (g.get("baseline_comparison") or {}).get("result") == "regression"]
    if regressed:
        baseline = regressed[0]["baseline_comparison"].get("baseline")
        problems.append(f"{len(regressed)} gate(s) regressed against baseline {baseline}: "
                        + ", ".join(f"{g['operation']} (median "
                                    f"{(g['baseline_comparison']['change_ratio'] - 1) * 100:+.1f}%)"
                                    for g in regressed))
    inconclusive = [g["operation"] for g in gates if g["status"] == "inconclusive"]
    if strict and inconclusive:
        problems.append(f"{len(inconclusive)} gate(s) inconclusive (--strict): "
                        f"{', '.join(inconclusive)}")
    return problems


def _gate_text(gates, strict):
    passed = sum(1 for g in gates if g["status"] == "pass")
    inconclusive = sum(1 for g in gates if g["status"] == "inconclusive")
    not_judged = len(gates) - passed - inconclusive
    if not passed and not inconclusive:
        text = "performance gates were not run"
    elif not not_judged and not inconclusive:
        text = f"all {passed} performance gates passed"
    else:
        text = f"{passed} performance gate(s) passed"
        if inconclusive:
            text += f", {inconclusive} inconclusive" + ("" if strict else
                                                       " (fails only with --strict)")
        if not_judged:
            text += f", {not_judged} not judged"
    improved = [g["operation"] for g in gates
                if (g.get("baseline_comparison") or {}).get("result") == "improvement"]
    if improved:
        text += f"; improved: {', '.join(improved)}"
    return text


def decide(cases, gates, strict=False, scope="certification"):
    """(verdict, exit code, reason) from case and gate records."""
    good, bad = VERDICT_WORDS[scope]
    rejecting = [c for c in cases if c["status"] in case_results.REJECTING]
    if rejecting:
        ids = ", ".join(f"{c['id']} ({c['status']})" for c in rejecting[:10])
        more = f" and {len(rejecting) - 10} more" if len(rejecting) > 10 else ""
        return bad, EXIT_CASE_FAILED, f"{len(rejecting)} case(s) did not pass: {ids}{more}"
    problems = _gate_problems(gates, strict)
    if problems:
        return bad, EXIT_GATE_FAILED, "; ".join(problems)
    gate_text = _gate_text(gates, strict)
    if scope == "gate":
        return good, EXIT_CERTIFIED, gate_text
    return good, EXIT_CERTIFIED, f"every case passed or is not supported; {gate_text}"


def candidate_record(path, is_reference):
    machine = elfmachine.of_file(path)
    return {
        "path": os.path.abspath(path),
        "sha256": sha256_file(path),
        "size_bytes": os.path.getsize(path),
        "is_reference": is_reference,
        # The candidate's architecture (from its ELF header) and whether it ran under an
        # emulator (qemu-user through binfmt_misc) because it is not this machine's.
        "machine": machine,
        "emulated": elfmachine.is_foreign(machine),
    }


def assemble(*, candidate, cases, gates, measurements, gates_note, environment, suite, bench,
             started_at, finished_at, harness_version, options, artifacts, noise=None,
             baseline=None, strict=False, scope="certification"):
    """The record. `noise`: noise.Recorder facts of the measurement (None: no gates were run);
    `baseline`: None or {"name", "source", "environment_warnings"} of the run compared with."""
    cases = sorted(cases, key=lambda c: c["id"])  # stable order, whatever order cases ended in
    verdict, exit_code, reason = decide(cases, gates, strict=strict, scope=scope)
    return {
        "schema": SCHEMA,
        "scope": scope,
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
        "noise": noise,
        "baseline": baseline,
        "bench": bench,
        "artifacts": artifacts,
    }
