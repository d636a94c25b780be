"""`coremod gate`: the performance gates alone (no conformance suite), judged against the budgets
and, with --baseline, compared with an earlier run; every run is appended to the history.

Exit codes as certify's: 0 every measured gate passed and nothing regressed; 3 a gate failed, a
gate regressed against the baseline (named), or with --strict a gate stayed inconclusive; 2 the
harness could not run (bad arguments, a missing baseline, a build failure).
"""
import os

import coremod_reports

from . import (
    areas,
    baseline as baseline_mod,
    certification,
    certify,
    environment,
    gaterun,
    gates,
    paths,
    revisions,
    supplements,
)
from .errors import HarnessError


def profile_budgets(budgets, profile):
    """The budgets of the profile's areas (and any operation no area names, e.g. of a budgets
    table of one's own)."""
    return [b for b in budgets if areas.gate_in_profile(b.operation, profile)]


def _load_baseline(args):
    if not args.baseline:
        return None, None
    path = baseline_mod.path_for(args.baseline)
    return path, baseline_mod.load(path)


def against_build(args, progress):
    """The Against of --against REV (built) or --against-impl PATH, or None."""
    if getattr(args, "against_impl", None):
        impl = gaterun.validate_impl(args.against_impl)
        return gaterun.Against(impl, f"--against-impl {args.against_impl}", impl, None)
    if getattr(args, "against", None):
        commit, impl = revisions.reference_of(args.against, progress)
        return gaterun.Against(impl, f"revision {commit[:12]} ({args.against})", impl, commit)
    return None


def run(args, progress):
    started_at = certification.now_utc()
    baseline_path, baseline_doc = _load_baseline(args)  # a missing baseline: exit 2 at once
    if getattr(args, "against", None):
        revisions.resolve(args.against)  # an unknown revision: exit 2 before anything is built
    save_path = baseline_mod.path_for(args.save_baseline) if args.save_baseline else None
    prepared = gaterun.prepare(args, progress, need_suite=False)
    profile = getattr(args, "profile", None) or areas.DEFAULT_PROFILE
    prepared = prepared._replace(budgets=profile_budgets(prepared.budgets, profile))
    if not prepared.budgets:
        raise HarnessError(f"no gate of profile {profile} in {prepared.budgets_path}")
    coremod_reports.remove_stale(prepared.out_dir)
    against = against_build(args, progress)
    measured = gaterun.measure(prepared, args, progress, against=against)
    plan = gaterun.measured_plan(args, measured)
    # --metric instructions and the whole-process benchmark (supplements.py).
    supplement = supplements.measure(
        args, prepared.build_dir, prepared.impl, prepared.out_dir, measured.records, progress
    )
    env = environment.collect(prepared.build_dir)
    baseline_entry = None
    if against is not None:
        baseline_entry = gaterun.compare_ab(prepared, measured, against, env, progress)
    elif baseline_doc is not None:
        baseline_entry = gaterun.compare(
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
            if args.quick
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
            "quick": args.quick,
            "samples": args.samples,
            "buildtype": args.buildtype,
            "rounds": plan.min_rounds,
            "max_rounds": plan.max_rounds,
            "strict": args.strict,
            "baseline": baseline_path,
            "against": against.name if against else None,
            "history": os.path.abspath(args.history),
            "profile": profile,
        },
        artifacts={"bench_results": measured.bench_summary["results"]},
        noise=measured.noise,
        baseline=baseline_entry,
        strict=args.strict,
        scope="gate",
        profile=profile,
    )
    cert.update(supplement)
    # The run goes into the history first, so that the HTML report's trends end with it.
    run_id = gaterun.append_history(os.path.abspath(args.history), cert, prepared, measured)
    written = coremod_reports.write_all(cert, prepared.out_dir)
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
                "samples": args.samples,
                "quick": args.quick,
                "rounds": plan.min_rounds,
            },
            gates=measured.samples,
        )
    progress.finish()
    print(certify.summary_text(cert, written, command="gate"))
    print(f"  history:   run {run_id} in {os.path.abspath(args.history)}")
    if save_path:
        print(f"  baseline:  saved {save_path}")
    return cert["exit_code"]
