"""What a gate run measures beyond the timed gates, for certify and gate: instruction counts under
callgrind (--metric instructions, instructions.py) and the whole-process benchmark (hyperfine,
whole_process.py). Both add sections to the certification record (schema
coremod-certification/2, docs/report-schema.md): "instructions" and "whole_process".

--metric time (the default) judges the timed gates by their budgets. --metric instructions also
counts each timed operation's instructions and compares them with the committed baseline
(perf/baselines/instructions-<machine>.json): where the baseline is comparable (same compiler,
C library, valgrind, CPU features as valgrind shows them, build options), the count decides the
gate (more than 1 % above the baseline fails) and the time verdict is kept beside it; where it is
not comparable the gate keeps its time verdict and the report says why the count was not judged.
"""
import os

from coremodlib.run import instructions, whole_process
from coremodlib import paths
from coremodlib.errors import HarnessError

INSTRUCTIONS_DIR = "instructions"


def measure_instructions(build_dir, impl, out_dir, gate_records, progress, baseline_file=None):
    """Counts, compares and applies the counts to `gate_records`; returns the record's
    "instructions" section."""
    record = instructions.measurement(
        build_dir, impl, os.path.join(out_dir, INSTRUCTIONS_DIR), progress
    )
    path = os.path.abspath(baseline_file) if baseline_file else instructions.baseline_path()
    comparison = instructions.compare(
        record,
        instructions.load_baseline(path),
        baseline_name=os.path.relpath(path, paths.REPO_ROOT),
    )
    instructions.apply_to_gates(gate_records, comparison, decide=True)
    if not comparison["comparable"]:
        progress.note("instruction counts not judged: " + "; ".join(comparison["reasons"]))
    return {
        "metric": "instructions",
        "baseline": comparison["baseline"],
        "threshold": comparison["threshold"],
        "comparable": comparison["comparable"],
        "reasons": comparison["reasons"],
        "toolchain": record["toolchain"],
        "settings": record["settings"],
        "operations": comparison["operations"],
        "counts": record["operations"],
    }


def measure_whole_process(build_dir, impl, out_dir, progress, quick=False):
    """The "whole_process" section; {"error": ...} when it could not run (it judges nothing, so
    its failure does not stop a certification)."""
    try:
        return whole_process.run(build_dir, impl, out_dir, progress, quick=quick)
    except HarnessError as exc:
        progress.note(f"whole-process benchmark not run: {exc}")
        return {"error": str(exc), "budget": None, "note": whole_process.NOTE}


def measure(options, build_dir, impl, out_dir, gate_records, progress):
    """The sections to add to the record of a run whose gates were measured."""
    extra = {
        "whole_process": measure_whole_process(
            build_dir, impl, out_dir, progress, quick=options.quick
        )
    }
    if options.metric == "instructions":
        extra["instructions"] = measure_instructions(
            build_dir,
            impl,
            out_dir,
            gate_records,
            progress,
            options.instructions_baseline,
        )
    return extra
