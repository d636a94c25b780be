"""`coremod instructions`: the deterministic mode on its own — count instructions per operation
under callgrind, compare them with the committed baseline, or record that baseline.

Exit codes: 0 no operation is more than 1 % above the baseline (or the baseline is not
comparable, or there is none: said on the console); 3 an operation regressed (named); 2 the
harness could not run.
"""
import json
import os

from coremodlib.run import build, measurement, instructions
from coremodlib.machine import environment
from coremodlib import paths

EXIT_REGRESSION = 3


def run(*, build_dir, out, progress, impl=None, baseline=None, update_baseline=False):
    """`coremod instructions`: count the instructions per operation of `impl` (default: the
    reference) under callgrind and compare them with `baseline` (default: this architecture's
    committed one), which `update_baseline` rewrites first. The exit code."""
    candidate = impl
    impl = measurement.validate_impl(candidate) if candidate else None
    build_dir = build.ensure_built(build_dir, progress)
    impl = impl or paths.reference_impl(build_dir)
    build.require_outputs(
        build_dir, [impl, paths.bench_executable(build_dir), paths.fixtures_dir(build_dir)]
    )
    out_dir = os.path.abspath(out)
    record = instructions.measurement(build_dir, impl, out_dir, progress)
    baseline_file = os.path.abspath(baseline) if baseline else instructions.baseline_path()
    if update_baseline:
        if candidate and os.path.abspath(candidate) != paths.reference_impl(build_dir):
            progress.note("note: recording a baseline of a candidate other than the reference")
        commit, _ = environment.git_commit()
        instructions.save_baseline(record, baseline_file, commit=commit)
    comparison = instructions.compare(
        record,
        instructions.load_baseline(baseline_file),
        baseline_name=os.path.relpath(baseline_file, paths.REPO_ROOT),
    )
    with open(os.path.join(out_dir, "instructions.json"), "w", encoding="utf-8") as f:
        json.dump({"measurement": record, "comparison": comparison}, f, indent=2)
        f.write("\n")
    progress.finish()
    print(summary_text(comparison, baseline_file, update_baseline))
    regressed = [n for n, e in comparison["operations"].items() if e["status"] == "fail"]
    return EXIT_REGRESSION if regressed else 0


def summary_text(comparison, baseline_file, updated):
    lines = [
        f"coremod instructions: baseline {baseline_file}" + (" (just written)" if updated else "")
    ]
    if not comparison["comparable"]:
        lines.append("  NOT COMPARABLE, not judged: " + "; ".join(comparison["reasons"]))
    for name, e in comparison["operations"].items():
        lines.append(f"  {name}: {e['status']}: {e['message']}")
    return "\n".join(lines)
