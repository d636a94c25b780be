"""`coremod certify`: build, run the conformance suite and the performance gates against a
candidate, decide the verdict and write the reports.

Order of work: validate arguments -> install missing packages -> build -> suite -> (gates, only
when every case is acceptable: a rejected candidate's speed is not worth the time) -> reports.
"""
import os

import coremod_reports

from . import (bench, bootstrap, budgets as budgets_mod, build, case_results, certification,
               environment, gates, paths, suite)
from .errors import HarnessError

RESULTS_NAME = "results.jsonl"
SUITE_LOG_NAME = "conformance.log"
BENCH_NAME = "bench.json"
BENCH_LOG_NAME = "bench.log"


def validate_impl(path):
    """The absolute path of a usable --impl argument, or HarnessError (exit 2)."""
    full = os.path.abspath(path)
    if not os.path.exists(full):
        raise HarnessError(f"--impl {path}: no such file")
    if not os.path.isfile(full):
        raise HarnessError(f"--impl {path}: not a regular file")
    if not os.access(full, os.R_OK):
        raise HarnessError(f"--impl {path}: not readable")
    return full


def _load_budgets(path, required):
    try:
        return budgets_mod.load(path)
    except HarnessError:
        if required:
            raise
        return []


def _run_gates(args, build_dir, impl, fixtures, out_dir, budgets, cases, progress):
    """(gate records, unbudgeted measurements, note, bench summary)."""
    if args.no_gates:
        return gates.skipped(budgets, "not run (--no-gates)"), [], \
            "Performance gates were not run (--no-gates).", None
    if any(c["status"] in case_results.REJECTING for c in cases):
        return gates.skipped(budgets, "not run: conformance cases failed"), [], \
            "Performance gates were not run: the candidate already failed conformance cases.", None
    exe = paths.bench_executable(build_dir)
    out_path = os.path.join(out_dir, BENCH_NAME)
    doc, elapsed = bench.run(exe, impl, fixtures, out_path, os.path.join(out_dir, BENCH_LOG_NAME),
                             progress, samples=args.samples, quick=args.quick)
    records = gates.evaluate_all(budgets, doc)
    note = ("Quick run (--quick): fewer samples, weaker statistics, and the scale gates (1000 "
            "modules) are not judged." if args.quick else "")
    summary = {"executable": exe, "command": bench.command(exe, out_path, args.samples,
                                                           args.quick)[1:],
               "elapsed_s": round(elapsed, 3), "results": out_path,
               "quick": doc.get("quick"), "timer": doc.get("timer")}
    return records, gates.unbudgeted(budgets, doc), note, summary


def run(args, progress):
    started_at = certification.now_utc()
    impl_given = args.impl is not None
    impl = validate_impl(args.impl) if impl_given else None
    budgets_path = os.path.abspath(args.budgets) if args.budgets else paths.BUDGETS_FILE
    budgets = _load_budgets(budgets_path, required=not args.no_gates)
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)  # fail before the build if it cannot be made

    bootstrap.ensure_for("certify", progress)
    build_dir = build.ensure_built(args.build_dir, progress, buildtype=args.buildtype)
    if not impl_given:
        impl = paths.reference_impl(build_dir)
    needed = [paths.suite_executable(build_dir), paths.fixtures_dir(build_dir), impl]
    if not args.no_gates:
        needed.append(paths.bench_executable(build_dir))
    build.require_outputs(build_dir, needed)

    candidate = certification.candidate_record(impl, is_reference=not impl_given)
    coremod_reports.remove_stale(out_dir)
    fixtures = paths.fixtures_dir(build_dir)

    results_path = os.path.join(out_dir, RESULTS_NAME)
    outcome = suite.run(paths.suite_executable(build_dir), impl, fixtures, results_path,
                        os.path.join(out_dir, SUITE_LOG_NAME), progress)
    cases = suite.account_for(outcome, impl)
    gate_records, measurements, gates_note, bench_summary = _run_gates(
        args, build_dir, impl, fixtures, out_dir, budgets, cases, progress)

    progress.phase("writing reports")
    artifacts = {"case_results": results_path, "suite_log": outcome.log_path}
    if bench_summary:
        artifacts.update(bench_results=bench_summary["results"],
                         bench_log=os.path.join(out_dir, BENCH_LOG_NAME))
    cert = certification.assemble(
        candidate=candidate, cases=cases, gates=gate_records, measurements=measurements,
        gates_note=gates_note, environment=environment.collect(build_dir),
        suite={"executable": outcome.command[0], "exit_status": outcome.returncode,
               "elapsed_s": round(outcome.elapsed_s, 3), "listed_cases": len(outcome.listed)},
        bench=bench_summary, started_at=started_at, finished_at=certification.now_utc(),
        harness_version=paths.harness_version(),
        options={"build_dir": build_dir, "budgets": budgets_path, "no_gates": args.no_gates,
                 "quick": args.quick, "samples": args.samples, "buildtype": args.buildtype},
        artifacts=artifacts)
    written = coremod_reports.write_all(cert, out_dir)
    progress.finish()
    print(summary_text(cert, written))
    return cert["exit_code"]


def summary_text(cert, written):
    counts = cert["counts"]
    parts = [f"{counts[s]} {s}" for s in case_results.STATUSES if counts.get(s)]
    lines = [
        f"coremod certify: {cert['verdict'].upper()} (exit {cert['exit_code']}): {cert['reason']}",
        f"  candidate: {cert['candidate']['path']}",
        f"  cases:     {counts['total']} ({', '.join(parts) or 'none'})",
    ]
    for g in cert["gates"]:
        if g["status"] == "skipped":
            continue
        ratio = f", {g['raw_ratio']:.2f}x raw {g['raw_baseline']}" if g["raw_ratio"] else ""
        lines.append(f"  gate {g['operation']}: {g['status']}: {g['message']}"
                     + (f" (p50 {g['p50']:.4g} {g['unit']}{ratio})" if g["p50"] is not None
                        else ""))
    if cert.get("gates_note"):
        lines.append(f"  gates:     {cert['gates_note']}")
    lines.append("  reports:   " + ", ".join(written))
    return "\n".join(lines)
