"""`coremod certify`: build, run the conformance suite and the performance gates against a
candidate, decide the verdict and write the reports.

Order of work: validate arguments -> install missing packages -> build -> which areas of the
profile to run (--profile, --area, --case) -> probe the candidate's exports (an area whose
functions are missing fails in one line and its cases are not run) -> suite, filtered to the
chosen areas' cases -> judge the cases by their clauses' levels (advisories, internal errors) ->
a verdict per area -> gates of every area whose cases are all acceptable (a failed area's gates
are skipped: its speed is not worth the time) -> (comparison with a baseline, for `coremod
nightly`) -> reports.
"""
import collections
import fnmatch
import os

from coremodlib import report as reports

from coremodlib.judge import areas, gates, judging
from coremodlib.records import case_results, spec_levels
from coremodlib.judge import certification
from coremodlib.machine import environment
from coremodlib.run import measurement, rounds, suite, supplements
from coremodlib import paths
from coremodlib.errors import HarnessError

RESULTS_NAME = "results.jsonl"
SUITE_LOG_NAME = "conformance.log"

Plan = collections.namedtuple(
    "Plan", "profile profile_areas run_areas skipped case_globs partial selection strict_spec"
)


def plan_from(selection):
    """What this run covers, from the Selection (--profile, --area, --case); HarnessError for an
    --area outside the profile."""
    profile = selection.profile or areas.DEFAULT_PROFILE
    profile_areas = areas.profile_areas(profile)
    names = [a.name for a in profile_areas]
    chosen = list(dict.fromkeys(selection.areas))
    outside = [name for name in chosen if name not in names]
    if outside:
        raise HarnessError(
            f"--area {', '.join(outside)}: not an area of profile {profile} "
            f"({', '.join(names)}); choose another --profile"
        )
    globs = list(selection.cases)
    run_areas = [a for a in profile_areas if not chosen or a.name in chosen]
    skipped = {
        a.name: f"not part of this run (--area {' '.join(chosen)})"
        for a in profile_areas
        if a not in run_areas
    }
    partial = bool(chosen or globs)
    selected = {"areas": chosen, "cases": globs} if partial else None
    return Plan(
        profile,
        profile_areas,
        run_areas,
        skipped,
        globs,
        partial,
        selected,
        selection.strict_spec,
    )


def probe(candidate, impl, progress):
    """(verdict, {area: missing functions}, detail) of the candidate's exports
    (suite.probe_exports).
    A candidate built for another machine runs only under qemu-user: its exports are not probed
    here (its cases find missing functions themselves)."""
    if candidate.get("emulated"):
        return "inconclusive", {}, f"not probed: built for {candidate.get('machine')}"
    progress.phase("probing the candidate's exports")
    verdict, missing, detail = suite.probe_exports(impl, list(areas.all_functions()))
    by_area = {}
    for name in missing:
        by_area.setdefault(areas.area_of_function(name), []).append(name)
    if verdict == "inconclusive":
        progress.note(
            f"the candidate's exports could not be probed ({detail}); its cases will "
            f"say what is missing"
        )
    return verdict, by_area, detail


def _needs_missing(area, missing):
    """The areas `area` needs whose functions the candidate does not export."""
    return [name for name in area.needs if missing.get(name)]


def select_cases(listed, plan, runnable):
    """The (suite, test) pairs to run: the tests of `runnable` areas whose case id matches a
    --case glob (all of them without --case). HarnessError for a listed suite that belongs to
    no area, or a --case that matches nothing."""
    orphans = sorted({s for s, _ in listed if areas.area_of_suite(s) is None})
    if orphans:
        raise HarnessError(
            f"the conformance suite lists suites that belong to no API area (or to "
            f"several): {', '.join(orphans)}; scripts/coremodlib/areas.py must "
            f"name each suite's area"
        )
    names = {a.name for a in runnable}
    selected = [
        (s, t)
        for s, t in listed
        if areas.area_of_suite(s) in names
        and (
            not plan.case_globs
            or any(fnmatch.fnmatchcase(areas.case_id(t), g) for g in plan.case_globs)
        )
    ]
    if plan.case_globs and not selected and runnable:
        raise HarnessError(
            f"--case {' '.join(plan.case_globs)} matches no case of the areas run "
            f"({', '.join(sorted(names))})"
        )
    return selected


def _load_failure_cases(verdict, detail):
    status = {"unloadable": "fail", "crash": "crash", "hang": "timeout"}[verdict]
    what = {
        "unloadable": "the candidate cannot be loaded",
        "crash": "the candidate crashes when loaded",
        "hang": "the candidate hangs when loaded",
    }[verdict]
    return [
        {
            "id": "CANDIDATE-LOAD",
            "suite": areas.HARNESS_SUITE,
            "clause": suite.LOAD_CLAUSE,
            "title": "the candidate loads in a process of its own",
            "status": status,
            "message": f"{what}: {detail}",
            "elapsed_s": None,
        }
    ], what


def run_cases(prepared, plan, progress):
    """Runs the suite for the plan; returns (judged cases, area records, suite entry, outcome)."""
    impl = prepared.impl
    out_dir = prepared.out_dir
    results_path = os.path.join(out_dir, RESULTS_NAME)
    log_path = os.path.join(out_dir, SUITE_LOG_NAME)
    try:
        levels = spec_levels.load()
    except OSError as exc:
        raise HarnessError(f"cannot read the SPEC levels: {exc}") from None
    exe = paths.suite_executable(prepared.build_dir)
    verdict, missing, detail = probe(prepared.candidate, impl, progress)
    skipped = dict(plan.skipped)
    if verdict in ("unloadable", "crash", "hang"):
        # Nothing of the API can be reached: one record says why, every area run fails by it.
        cases, what = _load_failure_cases(verdict, detail)
        progress.note(f"{what}: {detail}")
        judged = judging.annotate(cases, levels)
        records = judging.area_records(
            plan.profile_areas, judged, skipped=skipped, strict_spec=plan.strict_spec
        )
        for record in records:
            if record["name"] in {a.name for a in plan.run_areas} and record["status"] != "fail":
                record.update(status="fail", reason=f"{what}: {detail}")
        return (
            judged,
            records,
            {
                "executable": exe,
                "exit_status": None,
                "elapsed_s": 0.0,
                "listed_cases": 0,
                "filter": None,
                "not_run": "the candidate cannot be used",
            },
            None,
        )
    for area in plan.run_areas:
        lacking = _needs_missing(area, missing)
        if lacking and not missing.get(area.name):
            skipped[area.name] = (
                f"not run: it needs area {', '.join(lacking)}, whose functions "
                f"the candidate does not export"
            )
    runnable = [a for a in plan.run_areas if not missing.get(a.name) and a.name not in skipped]
    listed = suite.list_tests(exe, suite.candidate_env(impl, prepared.fixtures))
    selected = select_cases(listed, plan, runnable)
    chosen = set(selected)
    not_run = collections.Counter(areas.area_of_suite(s) for s, t in listed if (s, t) not in chosen)
    if plan.case_globs:
        with_cases = {areas.area_of_suite(s) for s, _ in selected}
        for area in runnable:
            if area.name not in with_cases:
                skipped[area.name] = (
                    f"not part of this run: no case of it matches --case "
                    f"{' '.join(plan.case_globs)}"
                )
    if selected:
        outcome = suite.run(
            exe,
            impl,
            prepared.fixtures,
            results_path,
            log_path,
            progress,
            listed=listed,
            selected=selected,
        )
        cases = suite.account_for(outcome, impl)
        suite_entry = {
            "executable": outcome.command[0],
            "exit_status": outcome.returncode,
            "elapsed_s": round(outcome.elapsed_s, 3),
            "listed_cases": len(outcome.listed),
            "all_listed_cases": len(outcome.all_listed or outcome.listed),
            "filter": outcome.command[1] if len(outcome.command) > 1 else None,
        }
    else:
        outcome, cases = None, []
        suite_entry = {
            "executable": exe,
            "exit_status": None,
            "elapsed_s": 0.0,
            "listed_cases": 0,
            "all_listed_cases": len(listed),
            "filter": None,
            "not_run": "no area of the profile can be run",
        }
    if plan.case_globs:
        # The harness's own records stay; a suite's results outside --case are dropped (there
        # are none when the filter did its work).
        cases = [
            c
            for c in cases
            if c.get("suite") == areas.HARNESS_SUITE
            or any(fnmatch.fnmatchcase(c["id"], g) for g in plan.case_globs)
        ]
    judged = judging.annotate(cases, levels)
    records = judging.area_records(
        plan.profile_areas,
        judged,
        missing=missing,
        skipped=skipped,
        strict_spec=plan.strict_spec,
        not_run=not_run,
    )
    return judged, records, suite_entry, outcome


def _run_gates(options, no_gates, prepared, plan, cases, area_records, progress, against_for=None):
    """(gate records, unbudgeted measurements, note, Measured or None): the gates of the
    profile's areas, measured for every area whose cases are all acceptable, the others skipped
    with the reason."""
    budgets = [b for b in prepared.budgets if areas.gate_in_profile(b.operation, plan.profile)]
    by_area = {r["name"]: r for r in area_records}

    def skipped_all(reason, note):
        return gates.skipped(budgets, reason), [], note, None

    if no_gates:
        return skipped_all("not run (--no-gates)", "Performance gates were not run (--no-gates).")
    if any(c["status"] == case_results.HARNESS_FAULT for c in cases):
        return skipped_all(
            "not run: the harness failed (internal_error)",
            "Performance gates were not run: the harness failed in a case, so "
            "the run gives no verdict.",
        )
    if plan.case_globs:
        return skipped_all(
            "not run: --case runs only some of an area's cases",
            "Performance gates were not run: a --case run covers only some " "cases of its areas.",
        )
    eligible = {name for name, r in by_area.items() if judging.gates_eligible(r)}
    measure_these, skip_reasons = [], {}
    for b in budgets:
        area = areas.area_of_gate(b.operation)
        if area is None:
            ok = all(judging.gates_eligible(r) for r in area_records if r["status"] != "skipped")
            why = "not run: an area failed"
        else:
            ok = area in eligible
            record = by_area[area]
            why = (
                f"not run: area {area} "
                f"{'was not part of this run' if record['status'] == 'skipped' else 'failed'}"
                f" ({record['reason']})"
            )
        if ok:
            measure_these.append(b)
        else:
            skip_reasons[b.operation] = why
    if not measure_these:
        records = [gates.skipped([b], skip_reasons[b.operation])[0] for b in budgets]
        return (
            records,
            [],
            (
                "Performance gates were not run: no area with gates passed its " "cases."
                if budgets
                else ""
            ),
            None,
        )
    against = against_for(prepared) if against_for is not None else None
    measured = measurement.measure(
        prepared._replace(budgets=measure_these), options, progress, against=against
    )
    by_operation = {g["operation"]: g for g in measured.records}
    records = [
        by_operation.get(b.operation) or gates.skipped([b], skip_reasons[b.operation])[0]
        for b in budgets
    ]
    for name in eligible:
        by_area[name]["gates_run"] = bool(by_area[name]["gates"])
    notes = []
    if skip_reasons:
        failed = sorted({areas.area_of_gate(op) or "?" for op in skip_reasons})
        notes.append(
            f"The gates of area(s) {', '.join(failed)} were not run (the area failed "
            f"or was not part of the run); the others were measured."
        )
    if options.quick:
        notes.append(
            "Quick run (--quick): fewer samples, weaker statistics, and the scale gates "
            "(1000 modules) are not judged."
        )
    return (records, gates.unbudgeted(measure_these, measured.merged), " ".join(notes), measured)


def execute(*, measure, selection, no_gates, progress, compare_with=None, against_for=None):
    """Runs a certification; returns (record, Prepared, Measured or None) without writing reports.

    `measure`: the candidate and the measurement plan (requests.MeasureOptions); `selection`: the
    areas and cases (requests.Selection); `no_gates`: conformance only.

    `compare_with(prepared, measured, environment) -> baseline entry or None`: called after the
    gates were measured (coremod nightly compares them with the last good run there).
    `against_for(prepared) -> measurement.Against or None`: called after the build, before the gates
    are measured: a baseline build to measure in the same rounds (nightly's A/B mode)."""
    started_at = certification.now_utc()
    plan = plan_from(selection)
    prepared = measurement.prepare(measure, progress, need_suite=True, need_gates=not no_gates)
    impl, out_dir = prepared.impl, prepared.out_dir
    reports.remove_stale(out_dir)

    cases, area_records, suite_entry, outcome = run_cases(prepared, plan, progress)
    gate_records, measurements, gates_note, measured = _run_gates(
        measure, no_gates, prepared, plan, cases, area_records, progress, against_for
    )
    # Instruction counts (--metric instructions) and the whole-process benchmark: sections of
    # the record; the counts may decide gates, so they come before the verdict.
    supplement = (
        supplements.measure(measure, prepared.build_dir, impl, out_dir, gate_records, progress)
        if measured is not None
        else {}
    )
    env = environment.collect(prepared.build_dir)
    baseline = None
    if measured is not None and compare_with is not None:
        baseline = compare_with(prepared, measured, env)

    progress.phase("writing reports")
    artifacts = {
        "case_results": os.path.join(out_dir, RESULTS_NAME),
        "suite_log": outcome.log_path if outcome else None,
    }
    if measured:
        artifacts.update(
            bench_results=measured.bench_summary["results"],
            bench_rounds=os.path.join(out_dir, rounds.ROUNDS_DIR),
        )
    rounds_plan = measurement.measured_plan(measure, measured)
    cert = certification.assemble(
        candidate=prepared.candidate,
        cases=cases,
        gates=gate_records,
        measurements=measurements,
        gates_note=gates_note,
        environment=env,
        suite=suite_entry,
        bench=measured.bench_summary if measured else None,
        started_at=started_at,
        finished_at=certification.now_utc(),
        harness_version=paths.harness_version(),
        options={
            "build_dir": prepared.build_dir,
            "budgets": prepared.budgets_path,
            "no_gates": no_gates,
            "quick": measure.quick,
            "samples": measure.samples,
            "buildtype": measure.buildtype,
            "rounds": rounds_plan.min_rounds,
            "max_rounds": rounds_plan.max_rounds,
            "strict": measure.strict,
            "profile": plan.profile,
            "strict_spec": plan.strict_spec,
            "area": list(selection.areas),
            "case": list(plan.case_globs),
        },
        artifacts=artifacts,
        noise=measured.noise if measured else None,
        baseline=baseline,
        strict=measure.strict,
        scope="partial" if plan.partial else "certification",
        profile=plan.profile,
        areas=area_records,
        strict_spec=plan.strict_spec,
        selection=plan.selection,
    )
    cert.update(supplement)
    return cert, prepared, measured


def run(*, measure, selection, no_gates, progress):
    """`coremod certify`: execute, then write the reports and print the summary; the exit code."""
    cert, prepared, _ = execute(
        measure=measure, selection=selection, no_gates=no_gates, progress=progress
    )
    written = reports.write_all(cert, prepared.out_dir)
    progress.finish()
    print(summary_text(cert, written))
    return cert["exit_code"]


def _emulation_note(candidate):
    if not candidate.get("emulated"):
        return ""
    return f" ({candidate.get('machine')}, run under qemu-user: conformance only)"


def area_lines(cert):
    """Console lines, one per area of the profile: status, counts and what failed."""
    lines = []
    for area in cert.get("areas") or []:
        counts = area["counts"]
        parts = [f"{counts[s]} {s}" for s in case_results.STATUSES if counts.get(s)]
        text = f"  area {area['name']:<9} {area['status']}"
        if area["kind"] == "extension":
            text += " (coremod extension)"
        text += f": {counts.get('total', 0)} cases" + (f" ({', '.join(parts)})" if parts else "")
        if area["status"] not in ("pass",):
            text += f"; {area['reason']}"
        if area["first_failing"]:
            text += "; first failing: " + ", ".join(area["first_failing"])
        lines.append(text)
    return lines


def summary_text(cert, written, command="certify"):
    counts = cert["counts"]
    parts = [f"{counts[s]} {s}" for s in case_results.STATUSES if counts.get(s)]
    headline = cert.get("headline") or cert["verdict"].upper()
    lines = [
        f"coremod {command}: {headline} (exit {cert['exit_code']}): {cert['reason']}",
        f"  candidate: {cert['candidate']['path']}" + _emulation_note(cert["candidate"]),
    ]
    if cert.get("scope", "certification") in ("certification", "partial"):
        lines.append(f"  cases:     {counts['total']} ({', '.join(parts) or 'none'})")
        lines += area_lines(cert)
    lines += measurement.gate_lines(cert)
    if cert.get("gates_note"):
        lines.append(f"  gates:     {cert['gates_note']}")
    lines.append("  reports:   " + ", ".join(written))
    return "\n".join(lines)
