"""junit.xml: one testcase per conformance case and one per performance gate, for CI systems.

Mapping of statuses: pass -> passed; quality_warning -> passed, with the note in system-out (JUnit
has no "warning"); advisory -> passed, with the original outcome and the clause's Level sentence
in system-out (a failure of type "advisory" under --strict-spec); not_supported -> skipped;
fail -> failure; crash, timeout -> error; internal_error -> error of type "internal_error". An
area whose functions the candidate does not export is one more testcase of the conformance suite
("area NAME: exports"), a failure of type "missing_functions". Gates:
pass -> passed; fail -> failure; a regression against the baseline -> failure; inconclusive ->
failure under --strict, else skipped (JUnit has no "undecided"); skipped -> skipped.
"""
import re
import xml.etree.ElementTree as ET

FILE_NAME = "junit.xml"

# Characters XML 1.0 does not allow, even escaped (a crash message may carry raw bytes).
_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value):
    return _INVALID_XML.sub("\ufffd", "" if value is None else str(value))


def _seconds(value):
    return f"{value:.3f}" if isinstance(value, (int, float)) else "0"


def _properties(parent, items):
    props = ET.SubElement(parent, "properties")
    for name, value in items:
        ET.SubElement(props, "property", name=name, value=_text(value))


def _case_element(suite_el, case, strict_spec=False):
    el = ET.SubElement(
        suite_el,
        "testcase",
        classname=_text(f"conformance.{case['suite']}"),
        name=_text(f"{case['id']}: {case['title']}"),
        time=_seconds(case.get("elapsed_s")),
    )
    status, message = case["status"], case.get("message", "")
    detail = f"SPEC {case['clause']}: {message}" if message else f"SPEC {case['clause']}"
    if status == "fail":
        ET.SubElement(el, "failure", message=_text(message), type="fail").text = _text(detail)
    elif status in ("crash", "timeout", "internal_error"):
        ET.SubElement(el, "error", message=_text(message), type=status).text = _text(detail)
    elif status == "advisory":
        text = (
            f"advisory (the case ended {case.get('outcome')}): {detail}\n"
            f"{case.get('why_advisory') or ''}"
        )
        if strict_spec:
            ET.SubElement(el, "failure", message=_text(message), type="advisory").text = _text(text)
            status = "fail"
        else:
            ET.SubElement(el, "system-out").text = _text(text)
    elif status == "not_supported":
        ET.SubElement(el, "skipped", message=_text(message or "not supported"))
    elif status == "quality_warning":
        ET.SubElement(el, "system-out").text = _text(f"quality_warning: {message}")
    return status


def _missing_element(suite_el, area):
    missing = ", ".join(area["missing_functions"])
    el = ET.SubElement(
        suite_el,
        "testcase",
        classname="conformance.area",
        name=_text(f"area {area['name']}: exports"),
        time="0",
    )
    message = f"area {area['name']}: the candidate does not export {missing}"
    ET.SubElement(el, "failure", message=_text(message), type="missing_functions").text = _text(
        message + " (the area's cases were not run)"
    )
    return "fail"


def _citation(gate):
    """Where the gate's target is written: the document by name, its section and line (the
    document is not part of the repository, so no path)."""
    parts = [gate.get("document") or "the document"]
    if gate.get("document_section"):
        parts.append(f"section {gate['document_section']}")
    if gate.get("document_line"):
        parts.append(f"line {gate['document_line']}")
    quote = f": {gate['document_quote']}" if gate.get("document_quote") else ""
    return ", ".join(parts) + quote


def _gate_element(suite_el, gate, strict):
    clause = f" (SPEC {gate['clause']})" if gate.get("clause") else ""
    el = ET.SubElement(
        suite_el,
        "testcase",
        classname="performance",
        name=_text(f"{gate['operation']}{clause}"),
        time="0",
    )
    comparison = gate.get("baseline_comparison") or {}
    status = gate["status"]
    if status == "fail":
        ET.SubElement(el, "failure", message=_text(gate["message"]), type="gate").text = _text(
            f"{gate['message']}\ntarget: {_citation(gate)}"
        )
    elif comparison.get("result") == "regression":
        ratio = comparison.get("change_ratio")
        message = f"regression against {comparison.get('baseline')}: " + (
            comparison["summary"]
            if comparison.get("summary")
            else f"median {(ratio - 1) * 100:+.1f}%, p_adj "
            f"{comparison.get('p_adjusted'):.2g}, minimum effect "
            f"{comparison.get('min_effect', 0) * 100:g}%"
        )
        ET.SubElement(el, "failure", message=_text(message), type="regression").text = _text(
            message
        )
        status = "fail"
    elif status == "inconclusive":
        if strict:
            ET.SubElement(
                el, "failure", message=_text(gate["message"]), type="inconclusive"
            ).text = _text(gate["message"])
            status = "fail"
        else:
            ET.SubElement(el, "skipped", message=_text("inconclusive: " + gate["message"]))
            status = "skipped"
    elif status == "skipped":
        ET.SubElement(el, "skipped", message=_text(gate["message"] or "not measured"))
    else:
        ET.SubElement(el, "system-out").text = _text(gate["message"])
    return status


def _supplement_properties(cert):
    """Instruction counts and the whole-process ratio, as properties of the performance suite."""
    items = []
    counted = cert.get("instructions") or {}
    for name, entry in (counted.get("operations") or {}).items():
        ratio = entry.get("change_ratio")
        change = "" if ratio is None else f", {(ratio - 1) * 100:+.2f}% vs baseline"
        items.append(
            (
                f"instructions.{name}",
                f"{entry.get('per_op')} per op, " f"{entry.get('status')}{change}",
            )
        )
    wp = cert.get("whole_process") or {}
    if wp.get("ratio"):
        items.append(("whole_process.ratio_of_medians", f"{wp['ratio']['of_medians']:.4f}"))
    return items


def _tally(suite_el, statuses, failure_set, error_set, skipped_set, elapsed):
    suite_el.set("tests", str(len(statuses)))
    suite_el.set("failures", str(sum(s in failure_set for s in statuses)))
    suite_el.set("errors", str(sum(s in error_set for s in statuses)))
    suite_el.set("skipped", str(sum(s in skipped_set for s in statuses)))
    suite_el.set("time", _seconds(elapsed))


def build_tree(cert):
    root = ET.Element("testsuites", name="coremod certification")
    common = [
        ("verdict", cert["verdict"]),
        ("reason", cert["reason"]),
        ("profile", cert.get("profile")),
        ("scope", cert.get("scope")),
        ("candidate", cert["candidate"]["path"]),
        ("candidate_sha256", cert["candidate"]["sha256"]),
        ("harness_version", cert["harness_version"]),
        ("commit", cert["environment"].get("commit")),
    ]

    cases_el = ET.SubElement(
        root, "testsuite", name="conformance", timestamp=_text(cert["started_at"])
    )
    _properties(cases_el, common)
    strict_spec = bool(cert.get("strict_spec"))
    case_statuses = [_case_element(cases_el, c, strict_spec) for c in cert["cases"]]
    case_statuses += [
        _missing_element(cases_el, a) for a in cert.get("areas") or [] if a.get("missing_functions")
    ]
    _tally(
        cases_el,
        case_statuses,
        {"fail"},
        {"crash", "timeout", "internal_error"},
        {"not_supported"},
        (cert.get("suite") or {}).get("elapsed_s"),
    )

    gates_el = ET.SubElement(
        root, "testsuite", name="performance", timestamp=_text(cert["started_at"])
    )
    _properties(
        gates_el,
        common + [("gates_note", cert.get("gates_note", ""))] + _supplement_properties(cert),
    )
    strict = bool((cert.get("options") or {}).get("strict"))
    gate_statuses = [_gate_element(gates_el, g, strict) for g in cert["gates"]]
    _tally(
        gates_el,
        gate_statuses,
        {"fail"},
        set(),
        {"skipped"},
        (cert.get("bench") or {}).get("elapsed_s"),
    )

    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(int(cases_el.get(key)) + int(gates_el.get(key))))
    return root


def render(cert):
    root = build_tree(cert)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
