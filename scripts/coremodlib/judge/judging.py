"""From the suite's raw case results to judged cases and a verdict per API area.

- Each case gets its `area` (areas.py, by its Criterion suite), the `level` of the SPEC clause it
  cites (spec_levels.py) and `outcome`, the status the suite reported. A case of a coremod-level
  clause that ended `fail`, `crash` or `timeout` gets the status `advisory` and, in
  `why_advisory`, the clause's Level sentence: shown, counted and explained, never rejecting
  (unless --strict-spec). A case citing a clause SPEC does not have, or has without a readable
  Level line, or of a suite no area takes, is a harness fault: status `internal_error`.
- Each area of the profile gets a verdict (`area_records`): `pass`, `advisories`, `fail`
  (a rejecting case, functions the candidate does not export, or with --strict-spec an
  advisory), `internal_error`, or `skipped` (not part of this run, with the reason).

Standard library only.
"""
from coremodlib.judge import areas as areas_mod
from coremodlib.records import case_results, spec_levels

FIRST_IDS = 5  # case ids an area's verdict names (the reports list them all)


def annotate(cases, levels):
    """The cases judged by their clauses' levels (new dicts; the input is not changed)."""
    judged = []
    for case in cases:
        case = dict(case)
        status = case["status"]
        case.setdefault("outcome", status)
        case.setdefault("why_advisory", None)
        area = areas_mod.area_of_suite(case.get("suite", ""))
        case["area"] = area
        entry = levels.get(case["clause"])
        case["level"] = entry.level if entry is not None else None
        problem = spec_levels.problem_of(levels, case["clause"])
        if area is None:
            problem = (
                f"the case's suite {case.get('suite')!r} belongs to no API area "
                f"(scripts/coremodlib/areas.py)"
            )
        if status == "advisory":
            pass  # judged already (a record read back)
        elif problem is not None and status != "internal_error":
            case["status"] = "internal_error"
            case["message"] = (
                f"harness: {problem} (the case itself ended {status}"
                + (f": {case['message']}" if case.get("message") else "")
                + ")"
            )
        elif status in case_results.REJECTING and case["level"] == "coremod":
            case["status"] = "advisory"
            case["why_advisory"] = spec_levels.explanation(entry)
        judged.append(case)
    return judged


def _counts(cases):
    counts = {status: 0 for status in case_results.STATUSES}
    for case in cases:
        counts[case["status"]] = counts.get(case["status"], 0) + 1
    counts["total"] = len(cases)
    return counts


def missing_text(missing):
    return "the candidate does not export " + ", ".join(missing)


def area_records(profile_areas, cases, missing=None, skipped=None, strict_spec=False, not_run=None):
    """One verdict per area of the profile, in table order.

    missing: {area: [function names the candidate does not export]} (its cases were not run);
    skipped: {area: reason} for areas this run left out (partial runs, or an area that needs one
    whose functions are missing); not_run: {area: number of listed cases that did not run}."""
    missing, skipped, not_run = missing or {}, skipped or {}, not_run or {}
    records = []
    for area in profile_areas:
        mine = sorted((c for c in cases if c.get("area") == area.name), key=lambda c: c["id"])
        counts = _counts(mine)
        rejecting = [c for c in mine if c["status"] in case_results.REJECTING]
        advisories = [c for c in mine if c["status"] == "advisory"]
        faults = [c for c in mine if c["status"] == "internal_error"]
        lacking = list(missing.get(area.name) or [])
        if lacking:
            status, reason = "fail", missing_text(lacking) + " (its cases were not run)"
        elif faults:
            status, reason = "internal_error", f"the harness failed in {len(faults)} case(s)"
        elif area.name in skipped and not mine:
            status, reason = "skipped", skipped[area.name]
        elif rejecting or (strict_spec and advisories):
            status = "fail"
            parts = []
            if rejecting:
                parts.append(f"{len(rejecting)} of {len(mine)} case(s) rejected")
            if strict_spec and advisories:
                parts.append(f"{len(advisories)} advisory case(s) rejected by --strict-spec")
            reason = "; ".join(parts)
        elif advisories:
            status = "advisories"
            reason = (
                f"every case acceptable; {len(advisories)} advisory case(s) (coremod " f"rules)"
            )
        else:
            status, reason = "pass", "every case acceptable"
        records.append(
            {
                "name": area.name,
                "kind": areas_mod.kind(area),
                "title": area.title,
                "status": status,
                "reason": reason,
                "counts": counts,
                "not_run": not_run.get(area.name, 0),
                "missing_functions": lacking,
                "first_failing": [c["id"] for c in rejecting[:FIRST_IDS]],
                "first_advisories": [c["id"] for c in advisories[:FIRST_IDS]],
                "first_internal_errors": [c["id"] for c in faults[:FIRST_IDS]],
                "gates": list(area.gates),
                "gates_run": False,
            }
        )
    return records


def gates_eligible(record):
    """Whether an area's gates are worth measuring: every case of it acceptable (advisories
    included, even under --strict-spec: they are about behaviour, not speed), nothing missing,
    part of the run."""
    if record["status"] in ("skipped", "internal_error") or record["missing_functions"]:
        return False
    return not any(record["counts"].get(s) for s in case_results.REJECTING)
