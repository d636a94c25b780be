"""`coremod certify`: build, run the conformance suite and the performance gates against a
candidate, decide the verdict and write the reports.

Order of work: validate arguments -> install missing packages -> build -> suite -> (gates in
rounds, only when every case is acceptable: a rejected candidate's speed is not worth the time)
-> (comparison with a baseline, for `coremod nightly`) -> reports.
"""
import os

import coremod_reports

from . import case_results, certification, environment, gaterun, gates, paths, rounds, suite, supplements

RESULTS_NAME = "results.jsonl"
SUITE_LOG_NAME = "conformance.log"

def _run_gates(args, prepared, cases, progress):
    """(gate records, unbudgeted measurements, note, Measured or None)."""
    budgets = prepared.budgets
    if args.no_gates:
        return gates.skipped(budgets, "not run (--no-gates)"), [], \
            "Performance gates were not run (--no-gates).", None
    if any(c["status"] in case_results.REJECTING for c in cases):
        return gates.skipped(budgets, "not run: conformance cases failed"), [], \
            "Performance gates were not run: the candidate already failed conformance cases.", None
    measured = gaterun.measure(prepared, args, progress)
    note = ("Quick run (--quick): fewer samples, weaker statistics, and the scale gates (1000 "
            "modules) are not judged." if args.quick else "")
    return (measured.records, gates.unbudgeted(budgets, measured.merged), note, measured)


def execute(args, progress, compare_with=None):
    """Runs a certification; returns (record, Prepared, Measured or None) without writing reports.

    `compare_with(prepared, measured, environment) -> baseline entry or None`: called after the
    gates were measured (coremod nightly compares them with the last good run there)."""
    started_at = certification.now_utc()
    prepared = gaterun.prepare(args, progress, need_suite=True, need_gates=not args.no_gates)
    impl, out_dir, fixtures = prepared.impl, prepared.out_dir, prepared.fixtures
    coremod_reports.remove_stale(out_dir)

    results_path = os.path.join(out_dir, RESULTS_NAME)
    outcome = suite.run(paths.suite_executable(prepared.build_dir), impl, fixtures, results_path,
                        os.path.join(out_dir, SUITE_LOG_NAME), progress)
    cases = suite.account_for(outcome, impl)
    gate_records, measurements, gates_note, measured = _run_gates(args, prepared, cases,
                                                                  progress)
    # Instruction counts (--metric instructions) and the whole-process benchmark: sections of
    # the record; the counts may decide gates, so they come before the verdict.
    supplement = supplements.measure(args, prepared.build_dir, impl, out_dir, gate_records,
                                     progress) if measured is not None else {}
    env = environment.collect(prepared.build_dir)
    baseline = None
    if measured is not None and compare_with is not None:
        baseline = compare_with(prepared, measured, env)

    progress.phase("writing reports")
    artifacts = {"case_results": results_path, "suite_log": outcome.log_path}
    if measured:
        artifacts.update(bench_results=measured.bench_summary["results"],
                         bench_rounds=os.path.join(out_dir, rounds.ROUNDS_DIR))
    cert = certification.assemble(
        candidate=prepared.candidate, cases=cases, gates=gate_records, measurements=measurements,
        gates_note=gates_note, environment=env,
        suite={"executable": outcome.command[0], "exit_status": outcome.returncode,
               "elapsed_s": round(outcome.elapsed_s, 3), "listed_cases": len(outcome.listed)},
        bench=measured.bench_summary if measured else None, started_at=started_at,
        finished_at=certification.now_utc(), harness_version=paths.harness_version(),
        options={"build_dir": prepared.build_dir, "budgets": prepared.budgets_path,
                 "no_gates": args.no_gates, "quick": args.quick, "samples": args.samples,
                 "buildtype": args.buildtype, "rounds": args.rounds,
                 "max_rounds": gaterun.max_rounds(args), "strict": args.strict},
        artifacts=artifacts, noise=measured.noise if measured else None, baseline=baseline,
        strict=args.strict)
    cert.update(supplement)
    return cert, prepared, measured


def run(args, progress):
    cert, prepared, _ = execute(args, progress)
    written = coremod_reports.write_all(cert, prepared.out_dir)
    progress.finish()
    print(summary_text(cert, written))
    return cert["exit_code"]


def _emulation_note(candidate):
    if not candidate.get("emulated"):
        return ""
    return f" ({candidate.get('machine')}, run under qemu-user: conformance only)"


def summary_text(cert, written, command="certify"):
    counts = cert["counts"]
    parts = [f"{counts[s]} {s}" for s in case_results.STATUSES if counts.get(s)]
    lines = [
        f"coremod {command}: {cert['verdict'].upper()} (exit {cert['exit_code']}): "
        f"{cert['reason']}",
        f"  candidate: {cert['candidate']['path']}" + _emulation_note(cert["candidate"]),
    ]
    if cert.get("scope", "certification") == "certification":
        lines.append(f"  cases:     {counts['total']} ({', '.join(parts) or 'none'})")
    lines += gaterun.gate_lines(cert)
    if cert.get("gates_note"):
        lines.append(f"  gates:     {cert['gates_note']}")
    lines.append("  reports:   " + ", ".join(written))
    return "\n".join(lines)
