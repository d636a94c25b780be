"""`coremod gate`: the performance gates alone (no conformance suite), judged against the budgets
and, with --baseline, compared with an earlier run; every run is appended to the history.

Exit codes as certify's: 0 every measured gate passed and nothing regressed; 3 a gate failed, a
gate regressed against the baseline (named), or with --strict a gate stayed inconclusive; 2 the
harness could not run (bad arguments, a missing baseline, a build failure).
"""
import os

from coremodlib import report as reports

from coremodlib.judge import areas, gates
from coremodlib.records import baseline as baseline_mod
from coremodlib.judge import certification
from coremodlib.workflows import certify
from coremodlib.machine import environment
from coremodlib.run import measurement, revisions, supplements
from coremodlib import paths
from coremodlib.errors import HarnessError


def profile_budgets(budgets, profile):
    """The budgets of the profile's areas (and any operation no area names, e.g. of a budgets
    table of one's own)."""
    return [b for b in budgets if areas.gate_in_profile(b.operation, profile)]


def _load_baseline(name):
    if not name:
        return None, None
    path = baseline_mod.path_for(name)
    return path, baseline_mod.load(path)


def against_build(against, against_impl, progress):
    """The Against of --against REV (built) or --against-impl PATH, or None."""
    if against_impl:
        impl = measurement.validate_impl(against_impl)
        return measurement.Against(impl, f"--against-impl {against_impl}", impl, None)
    if against:
        commit, impl = revisions.reference_of(against, progress)
        return measurement.Against(impl, f"revision {commit[:12]} ({against})", impl, commit)
    return None


def run(
    *,
    measure,
    history_path,
    progress,
    profile=None,
    baseline=None,
    against=None,
    against_impl=None,
    save_baseline=None,
):
    """`coremod gate`: the gates of `profile` measured as `measure` (requests.MeasureOptions)
    says, compared with the stored `baseline` (a name or file) or measured in the same rounds as
    the build of revision `against` or the library `against_impl`; the run is appended to
    `history_path` and saved as the baseline `save_baseline` when given. The exit code."""
    started_at = certification.now_utc()
    baseline_path, baseline_doc = _load_baseline(baseline)  # a missing baseline: exit 2 at once
    if against:
        revisions.resolve(against)  # an unknown revision: exit 2 before anything is built
    save_path = baseline_mod.path_for(save_baseline) if save_baseline else None
    history_path = os.path.abspath(history_path)
    prepared = measurement.prepare(measure, progress, need_suite=False)
    profile = profile or areas.DEFAULT_PROFILE
    prepared = prepared._replace(budgets=profile_budgets(prepared.budgets, profile))
    if not prepared.budgets:
        raise HarnessError(f"no gate of profile {profile} in {prepared.budgets_path}")
    reports.remove_stale(prepared.out_dir)
    against = against_build(against, against_impl, progress)
    measured = measurement.measure(prepared, measure, progress, against=against)
    plan = measurement.measured_plan(measure, measured)
    # --metric instructions and the whole-process benchmark (supplements.py).
    supplement = supplements.measure(
        measure, prepared.build_dir, prepared.impl, prepared.out_dir, measured.records, progress
    )
    env = environment.collect(prepared.build_dir)
    baseline_entry = None
    if against is not None:
        baseline_entry = measurement.compare_ab(prepared, measured, against, env, progress)
    elif baseline_doc is not None:
        baseline_entry = measurement.compare(
            prepared,
            measured,
            baseline_doc["gates"],
            baseline_doc.get("name") or baseline_mod.display_name(baseline_path),
            baseline_doc.get("environment"),
            env,
            progress,
            source=baseline_path,
            baseline_noise=baseline_doc.get("noise"),
        )

    progress.phase("writing reports")
    cert = certification.assemble(
        candidate=prepared.candidate,
        cases=[],
        gates=measured.records,
        measurements=gates.unbudgeted(prepared.budgets, measured.merged),
        gates_note=(
            "Quick run (--quick): fewer samples; the scale gates are not judged."
            if measure.quick
            else ""
        ),
        environment=env,
        suite=None,
        bench=measured.bench_summary,
        started_at=started_at,
        finished_at=certification.now_utc(),
        harness_version=paths.harness_version(),
        options={
            "build_dir": prepared.build_dir,
            "budgets": prepared.budgets_path,
            "quick": measure.quick,
            "samples": measure.samples,
            "buildtype": measure.buildtype,
            "rounds": plan.min_rounds,
            "max_rounds": plan.max_rounds,
            "strict": measure.strict,
            "baseline": baseline_path,
            "against": against.name if against else None,
            "history": history_path,
            "profile": profile,
        },
        artifacts={"bench_results": measured.bench_summary["results"]},
        noise=measured.noise,
        baseline=baseline_entry,
        strict=measure.strict,
        scope="gate",
        profile=profile,
    )
    cert.update(supplement)
    # The run goes into the history first, so that the HTML report's trends end with it.
    run_id = measurement.append_history(history_path, cert, prepared, measured)
    written = reports.write_all(cert, prepared.out_dir)
    if save_path:
        baseline_mod.save(
            save_path,
            name=baseline_mod.display_name(save_path),
            created_at=started_at,
            candidate=prepared.candidate,
            environment=env,
            noise=measured.noise,
            harness_version=paths.harness_version(),
            options={
                "samples": measure.samples,
                "quick": measure.quick,
                "rounds": plan.min_rounds,
            },
            gates=measured.samples,
        )
    progress.finish()
    print(certify.summary_text(cert, written, command="gate"))
    print(f"  history:   run {run_id} in {history_path}")
    if save_path:
        print(f"  baseline:  saved {save_path}")
    return cert["exit_code"]
