"""The verdict and the certification record every report is written from.

The record (schema coremod-certification/3) is plain JSON data; the writers in coremodlib.report
only format it. `coremod gate` writes the same record with scope "gate" (no conformance cases;
verdict passed/failed instead of certified/rejected); a partial run (`certify --area/--case`)
has scope "partial" and never certifies (verdict "partial" when nothing in it rejects). Exit
codes: 0 certified (passed); 1 an area failed: a case of a document-level clause failed, crashed
or timed out, a profiled area lacks functions, or (--strict-spec) an advisory; 3 every case is
acceptable but a performance gate failed, a gate regressed against the baseline, or (with
--strict) a gate stayed inconclusive; 2 no verdict: a case ended internal_error (the record says
so, verdict "internal_error"), or, raised as HarnessError elsewhere, the harness could not run.
"""
import datetime

from coremodlib.judge import areas as areas_mod, gates as gates_mod, judging
from coremodlib.records import case_results
from coremodlib import units

SCHEMA = "coremod-certification/3"
# Verdicts by scope: (nothing rejects, something rejects). A partial run (--area, --case) never
# certifies: "partial" when everything in it passed.
PARTIAL = "partial"
INTERNAL_ERROR = "internal_error"
VERDICT_WORDS = {
    "certification": ("certified", "rejected"),
    "gate": ("passed", "failed"),
    "partial": (PARTIAL, "rejected"),
}

EXIT_CERTIFIED = 0
EXIT_CASE_FAILED = 1
EXIT_HARNESS = 2
EXIT_GATE_FAILED = 3


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _effect_text(comparison):
    """'+21.9% [+20.8%, +23.0%] > threshold 5.0%': the effect, its interval and the rule (older
    records without an effect: the change of the median)."""
    effect = comparison.get("effect")
    if effect is None:
        return f"median {units.signed_percent(comparison['change_ratio'])}"
    low, high = comparison.get("effect_ci") or [None, None]
    show = units.signed_percent
    return (
        f"{show(effect)} [{show(low)}, {show(high)}] > threshold "
        f"{comparison.get('threshold', comparison['min_effect']) * 100:.1f}%"
    )


def _gate_problems(gates, strict):
    """Reasons the gates reject the candidate (empty when they do not)."""
    problems = []
    failed = [g["operation"] for g in gates if g["status"] == "fail"]
    if failed:
        problems.append(f"{len(failed)} performance gate(s) failed: {', '.join(failed)}")
    regressed = [
        g for g in gates if (g.get("baseline_comparison") or {}).get("result") == "regression"
    ]
    if regressed:
        baseline = regressed[0]["baseline_comparison"].get("baseline")
        problems.append(
            f"{len(regressed)} gate(s) regressed against baseline {baseline}: "
            + ", ".join(
                f"{g['operation']} ({_effect_text(g['baseline_comparison'])})" for g in regressed
            )
        )
    inconclusive = [g["operation"] for g in gates if g["status"] == "inconclusive"]
    if strict and inconclusive:
        problems.append(
            f"{len(inconclusive)} gate(s) inconclusive (--strict): " f"{', '.join(inconclusive)}"
        )
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
            text += f", {inconclusive} inconclusive" + (
                "" if strict else " (fails only with --strict)"
            )
        if not_judged:
            text += f", {not_judged} not judged"
    improved = [
        g["operation"]
        for g in gates
        if (g.get("baseline_comparison") or {}).get("result") == "improvement"
    ]
    if improved:
        text += f"; improved: {', '.join(improved)}"
    return text


def _status_counts_text(counts, statuses):
    return ", ".join(f"{counts[s]} {s}" for s in statuses if counts.get(s))


def _ids(ids, total):
    more = f" and {total - len(ids)} more" if total > len(ids) else ""
    return ", ".join(ids) + more


def _area_failure_text(area, strict_spec=False):
    """One area's failure in one line: what is missing, or its counts and first failing ids."""
    if area["missing_functions"]:
        return f"area {area['name']}: {judging.missing_text(area['missing_functions'])}"
    counts = area["counts"]
    parts = []
    bad = sum(counts.get(s, 0) for s in case_results.REJECTING)
    if bad:
        parts.append(
            f"{bad} of {counts['total']} case(s) rejected "
            f"({_status_counts_text(counts, case_results.REJECTING)}): "
            + _ids(area["first_failing"], bad)
        )
    advisories = counts.get("advisory", 0)
    if strict_spec and advisories:
        parts.append(
            f"{advisories} advisory case(s) rejected by --strict-spec: "
            + _ids(area["first_advisories"], advisories)
        )
    if not parts:
        parts.append(area["reason"])
    return f"area {area['name']}: " + "; ".join(parts)


def _advisory_text(areas, cases, strict_spec):
    """The advisories in one part of the reason (under --strict-spec they are named with their
    areas' failures instead)."""
    advisories = [c for c in cases if c["status"] == "advisory"]
    if not advisories or strict_spec:
        return ""
    shown = [c["id"] for c in sorted(advisories, key=_leading_order(areas))][:10]
    return (
        f"{len(advisories)} advisory case(s) (coremod rules, not rejecting; --strict-spec "
        f"would reject them): " + _ids(shown, len(advisories))
    )


def _leading_order(areas):
    order = {a["name"]: i for i, a in enumerate(areas or [])}
    return lambda c: (order.get(c.get("area"), len(order)), c["id"])


def _areas_of(cases):
    """Area verdicts for cases judged without them (callers that pass only cases): one per area
    the cases belong to, in the table's order."""
    judged = [
        dict(c, area=c.get("area") or areas_mod.area_of_suite(c.get("suite", "")) or "core")
        for c in cases
    ]
    names = {c["area"] for c in judged}
    return judging.area_records([a for a in areas_mod.AREAS if a.name in names], judged), judged


def _internal_error_reason(faults):
    shown = "; ".join(f"{c['id']}: {c['message']}" for c in faults[:5])
    more = f"; and {len(faults) - 5} more" if len(faults) > 5 else ""
    return (
        f"no verdict: the harness failed in {len(faults)} case(s): {shown}{more}; this is "
        f"not the candidate's fault"
    )


def decide(cases, gates, strict=False, scope="certification", areas=None, strict_spec=False):
    """(verdict, exit code, reason) from case, area and gate records.

    The reason leads with what decides: the failing areas (core first, in the areas table's
    order), each with its counts and first failing case ids (or the functions it lacks), then the
    advisories, then the gates. Any case with status internal_error (the harness failed) means no
    verdict: exit 2, verdict internal_error."""
    good, bad = VERDICT_WORDS[scope]
    if areas is None and cases:
        areas, cases = _areas_of(cases)
    areas = areas or []
    faults = [c for c in cases if c["status"] == case_results.HARNESS_FAULT]
    if faults:
        return INTERNAL_ERROR, EXIT_HARNESS, _internal_error_reason(faults)
    failing = [a for a in areas if a["status"] == "fail"]
    advisory = _advisory_text(areas, cases, strict_spec)
    gate_problems = _gate_problems(gates, strict)
    if failing:
        parts = [_area_failure_text(a, strict_spec) for a in failing]
        if advisory:
            parts.append(advisory)
        parts += gate_problems or ([_gate_text(gates, strict)] if gates else [])
        return bad, EXIT_CASE_FAILED, "; ".join(parts)
    if gate_problems:
        return bad, EXIT_GATE_FAILED, "; ".join(([advisory] if advisory else []) + gate_problems)
    gate_text = _gate_text(gates, strict)
    if scope == "gate":
        return good, EXIT_CERTIFIED, gate_text
    names = ", ".join(a["name"] for a in areas if a["status"] != "skipped")
    which = f"of {names} " if names else ""
    lead = (
        f"no case {which}rejects (the others passed or are not supported)"
        if advisory
        else f"every case {which}passed or is not supported"
    )
    return good, EXIT_CERTIFIED, "; ".join([lead] + ([advisory] if advisory else []) + [gate_text])


def headline(scope, verdict, profile=None, selection=None):
    """The verdict as every report's first words: "CERTIFIED, profile full", "REJECTED, profile
    core", "PARTIAL RUN, not a certification (...)", "NO VERDICT (internal_error)", "PASSED"."""
    words = {
        "certified": "CERTIFIED",
        "rejected": "REJECTED",
        "passed": "PASSED",
        "failed": "FAILED",
        INTERNAL_ERROR: "NO VERDICT (internal_error)",
        PARTIAL: "PARTIAL RUN, not a certification",
    }
    if scope == "partial":
        text = words[PARTIAL] + (f" ({selection})" if selection else "")
        if verdict != PARTIAL:
            text += f": {words.get(verdict, verdict.upper())}"
        return text + (f", profile {profile}" if profile else "")
    text = words.get(verdict, verdict.upper())
    return text + (f", profile {profile}" if profile else "")


def _selection_text(selection):
    if not selection:
        return ""
    parts = []
    if selection.get("areas"):
        parts.append("areas " + ", ".join(selection["areas"]))
    if selection.get("cases"):
        parts.append("cases " + ", ".join(selection["cases"]))
    return "; ".join(parts)


def assemble(
    *,
    candidate,
    cases,
    gates,
    measurements,
    gates_note,
    environment,
    suite,
    bench,
    started_at,
    finished_at,
    harness_version,
    options,
    artifacts,
    noise=None,
    baseline=None,
    strict=False,
    scope="certification",
    profile=None,
    areas=None,
    strict_spec=False,
    selection=None,
):
    """The record. `noise`: noise.Recorder facts of the measurement (None: no gates were run);
    `baseline`: None or {"name", "source", "environment_warnings"} of the run compared with;
    `profile`, `areas`: the profile certified and each of its areas' verdict (judging.py);
    `selection`: for scope "partial", what --area/--case chose ({"areas", "cases"})."""
    cases = sorted(cases, key=lambda c: c["id"])  # stable order, whatever order cases ended in
    if areas is None and cases and scope != "gate":
        areas, cases = _areas_of(cases)
    verdict, exit_code, reason = decide(
        cases, gates, strict=strict, scope=scope, areas=areas, strict_spec=strict_spec
    )
    return {
        "schema": SCHEMA,
        "scope": scope,
        "harness_version": harness_version,
        "verdict": verdict,
        "headline": headline(scope, verdict, profile, _selection_text(selection)),
        "exit_code": exit_code,
        "reason": reason,
        "profile": profile,
        "strict_spec": strict_spec,
        "selection": selection,
        "areas": areas or [],
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
