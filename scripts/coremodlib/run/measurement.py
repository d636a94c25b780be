"""What certify, gate, nightly and calibrate share: preparing a candidate (packages, build,
outputs), measuring the performance gates in rounds with the noise facts, comparing the samples
with a baseline, and appending a run to the history.
"""
import collections
import os

from coremodlib.records import baseline as baseline_mod, budgets as budgets_mod, history
from coremodlib.machine import candidate as candidate_mod
from coremodlib.run import bench, build, rounds
from coremodlib.machine import elfmachine, noise
from coremodlib.judge import gates, regression
from coremodlib import paths, settings
from coremodlib.errors import HarnessError

Prepared = collections.namedtuple(
    "Prepared", "build_dir impl impl_given fixtures budgets budgets_path out_dir candidate"
)
# against_samples: the baseline build's samples when it was measured in the same rounds (A/B).
Measured = collections.namedtuple(
    "Measured",
    "records merged noise samples rounds bench_summary against_samples",
    defaults=(None,),
)
# What an A/B run compares with: the baseline build's library and how it was found.
Against = collections.namedtuple("Against", "impl name source commit")


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


RoundPlan = collections.namedtuple("RoundPlan", "min_rounds max_rounds samples")


def round_plan(options, ab=False):
    """The rounds and samples per round of a measurement: the options given, else the mode's
    defaults (`ab`: the A/B mode's many short rounds, settings.DEFAULT_AB_*). HarnessError when
    --max-rounds is less than --rounds."""
    first = options.rounds or (settings.DEFAULT_AB_ROUNDS if ab else rounds.DEFAULT_MIN_ROUNDS)
    wanted = options.max_rounds
    if wanted is not None and wanted < first:
        raise HarnessError(f"--max-rounds {wanted} is less than --rounds {first}")
    if wanted is None:
        wanted = max(first, settings.DEFAULT_AB_MAX_ROUNDS if ab else rounds.DEFAULT_MAX_ROUNDS)
    samples = options.samples
    if samples is None and ab and not options.quick:
        samples = settings.DEFAULT_AB_SAMPLES
    return RoundPlan(first, wanted, samples)


def measured_plan(options, measured):
    """The RoundPlan the gates were measured with (A/B or not), or would have been without a
    measurement."""
    if measured is not None and measured.bench_summary.get("plan"):
        return RoundPlan(**measured.bench_summary["plan"])
    return round_plan(options)


def prepare(options, progress, need_suite, need_gates=True):
    """Validates the MeasureOptions, installs packages, builds; HarnessError (exit 2) on any
    problem."""
    impl_given = options.impl is not None
    impl = validate_impl(options.impl) if impl_given else None
    budgets_path = os.path.abspath(options.budgets) if options.budgets else paths.BUDGETS_FILE
    try:
        budgets = budgets_mod.load(budgets_path)
    except HarnessError:
        if need_gates:
            raise
        budgets = []
    round_plan(options)  # reject --max-rounds < --rounds before building
    out_dir = os.path.abspath(options.out)
    os.makedirs(out_dir, exist_ok=True)  # fail before the build if it cannot be made

    build_dir = build.ensure_built(options.build_dir, progress, buildtype=options.buildtype)
    if not impl_given:
        impl = paths.reference_impl(build_dir)
    needed = [paths.fixtures_dir(build_dir), impl]
    if need_suite:
        needed.append(paths.suite_executable(build_dir))
    if need_gates:
        needed.append(paths.bench_executable(build_dir))
    build.require_outputs(build_dir, needed)
    candidate = candidate_mod.candidate_record(impl, is_reference=not impl_given)
    if need_gates and candidate["emulated"]:
        # Under qemu-user every timing is the emulator's: no budget can be judged by it.
        raise HarnessError(
            f"the candidate {impl} is built for {candidate['machine']} and this machine is "
            f"{elfmachine.host()}: it runs only under an emulator (qemu-user), whose timings "
            f"say nothing about the budgets. Certify its conformance with --no-gates, and "
            f"measure the gates on a {candidate['machine']} machine."
        )
    return Prepared(
        build_dir,
        impl,
        impl_given,
        paths.fixtures_dir(build_dir),
        budgets,
        budgets_path,
        out_dir,
        candidate,
    )


def measure(prepared, options, progress, out_dir=None, against=None):
    """Runs the gates in rounds; returns Measured. Prints the noise warnings. `against`
    (Against): the A/B mode, the baseline build measured in the same rounds."""
    out_dir = out_dir or prepared.out_dir
    exe = paths.bench_executable(prepared.build_dir)
    recorder = noise.Recorder().start()
    against_doc = None
    plan = round_plan(options, ab=against is not None)
    common = dict(
        samples=plan.samples,
        quick=options.quick,
        min_rounds=plan.min_rounds,
        max_rounds=plan.max_rounds,
    )
    if against is None:
        merged, records, summary = rounds.measure(
            exe, prepared.impl, prepared.fixtures, prepared.budgets, out_dir, progress, **common
        )
    else:
        merged, records, summary, against_doc = rounds.measure_ab(
            exe,
            prepared.impl,
            against.impl,
            prepared.fixtures,
            prepared.budgets,
            out_dir,
            progress,
            **common,
        )
    facts = recorder.finish()
    for warning in facts["warnings"]:
        progress.note(f"noise warning: {warning}")
    results = os.path.join(out_dir, rounds.MERGED_NAME)
    bench_summary = {
        "executable": exe,
        "command": bench.command(exe, results, plan.samples, options.quick)[1:],
        "plan": plan._asdict(),
        "rounds": summary,
        "elapsed_s": merged.get("elapsed_s"),
        "results": results,
        "quick": merged.get("quick"),
        "timer": merged.get("timer"),
    }
    if against_doc is not None:
        bench_summary["against"] = {
            "impl": against.impl,
            "name": against.name,
            "results": os.path.join(out_dir, rounds.AGAINST_NAME),
        }
    return Measured(
        records,
        merged,
        facts,
        baseline_mod.measured_samples(prepared.budgets, merged),
        summary,
        bench_summary,
        None
        if against_doc is None
        else baseline_mod.measured_samples(prepared.budgets, against_doc),
    )


def compare(
    prepared,
    measured,
    baseline_gates,
    baseline_name,
    baseline_env,
    current_env,
    progress,
    source,
    baseline_noise=None,
):
    """Attaches each gate's comparison with the baseline's stored samples to its record; returns
    the record's "baseline" entry. Different machines are warned about loudly (console and
    reports); a change of load between the runs is said in the inconclusive results."""
    change = regression.load_change(baseline_noise, measured.noise)
    comparisons = regression.compare(
        prepared.budgets,
        measured.samples,
        baseline_gates,
        baseline_name,
        conditions=[change] if change else [],
    )
    return _attach(
        prepared,
        measured,
        comparisons,
        baseline_gates,
        baseline_name,
        baseline_env,
        current_env,
        progress,
        source,
        mode="stored",
    )


def compare_ab(prepared, measured, against, current_env, progress):
    """Attaches each gate's A/B comparison (the baseline build measured in the same rounds) to
    its record; returns the record's "baseline" entry."""
    comparisons = regression.compare(
        prepared.budgets, measured.samples, measured.against_samples, against.name, paired=True
    )
    entry = _attach(
        prepared,
        measured,
        comparisons,
        measured.against_samples,
        against.name,
        current_env,
        current_env,
        progress,
        against.source,
        mode="A/B",
    )
    entry.update(impl=against.impl, commit=against.commit)
    return entry


def _attach(
    prepared,
    measured,
    comparisons,
    baseline_gates,
    baseline_name,
    baseline_env,
    current_env,
    progress,
    source,
    mode,
):
    for gate in measured.records:
        comparison = gate["baseline_comparison"] = comparisons.get(gate["operation"])
        if comparison:
            comparison["summary"] = regression.describe(gate["operation"], comparison)
    warnings = regression.machine_differences(baseline_env, current_env)
    if warnings:
        progress.note("!" * 72)
        progress.note(
            f"WARNING: baseline {baseline_name} was measured on a different machine; "
            f"timings are not comparable:"
        )
        for w in warnings:
            progress.note(f"WARNING:   {w}")
        progress.note("!" * 72)
    missing = [
        b.operation
        for b in prepared.budgets
        if b.operation in measured.samples and b.operation not in baseline_gates
    ]
    for gate in measured.records:
        comparison = gate["baseline_comparison"]
        if comparison:
            progress.note("compared: " + comparison["summary"])
    return {
        "name": baseline_name,
        "source": source,
        "environment_warnings": warnings,
        "not_in_baseline": missing,
        "mode": mode,
    }


def deciding_metric(cert):
    """The metric that decided the run's timed gates: "instructions" when the counts were judged
    against a comparable baseline (--metric instructions), else "time". The history keeps the two
    apart, so a night judged by time never takes a run judged by counts as its last good run."""
    counts = cert.get("instructions") or {}
    return "instructions" if counts.get("comparable") else gates.METRIC


def append_history(path, cert, prepared, measured):
    """Appends the run to the history; returns its id."""
    by_operation = {b.operation: b for b in prepared.budgets}
    rows = []
    for gate in cert["gates"]:
        budget = by_operation.get(gate["operation"])
        if budget is None:
            continue
        entry = baseline_mod.subsample(
            measured.samples.get(gate["operation"]) or {"samples": []}, baseline_mod.KEEP_SAMPLES
        )
        rows.append(history.gate_row(gate, budget.unit, entry))
    environment = dict(cert["environment"], noise=cert.get("noise"))
    return history.append(
        path,
        started_at=cert["started_at"],
        commit_id=cert["environment"].get("commit"),
        candidate=cert["candidate"]["path"],
        candidate_sha256=cert["candidate"]["sha256"],
        metric=deciding_metric(cert),
        verdict=cert["verdict"],
        environment=environment,
        good=history.is_good(cert["exit_code"], cert["gates"]),
        rows=rows,
    )


def gate_lines(cert):
    """Console lines for each judged gate and its comparison."""
    lines = []
    for g in cert["gates"]:
        if g["status"] == "skipped":
            continue
        ratio = f", {g['raw_ratio']:.2f}x raw {g['raw_baseline']}" if g["raw_ratio"] else ""
        if g.get("cold"):
            ratio += f", first call p50 {g['cold']['p50']:.4g} {g['unit']}"
        lines.append(
            f"  gate {g['operation']}: {g['status']}: {g['message']}"
            + (f" (p50 {g['p50']:.4g} {g['unit']}{ratio})" if g["p50"] is not None else "")
        )
        if g.get("baseline_comparison"):
            lines.append(
                "       vs baseline: "
                + regression.describe(g["operation"], g["baseline_comparison"])
            )
    noise_facts = cert.get("noise") or {}
    for warning in noise_facts.get("warnings", []):
        lines.append(f"  noise:     {warning}")
    for warning in (cert.get("baseline") or {}).get("environment_warnings", []):
        lines.append(f"  WARNING:   different machine: {warning}")
    return lines
