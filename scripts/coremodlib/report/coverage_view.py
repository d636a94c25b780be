"""Reads the latest coverage run (`coremod coverage`: gcovr's Cobertura XML and the summary it
writes beside it) for the reports. Absent files mean coverage was not run; that is said, not
hidden."""
import json
import os
import xml.etree.ElementTree as ET

XML_NAME = "coverage.xml"
SUMMARY_NAME = "coverage-summary.json"


def _line_counts(class_el):
    lines = class_el.findall("./lines/line")
    return len(lines), sum(1 for line in lines if int(line.get("hits", "0")) > 0)


def parse_cobertura(text, prefix="impl/"):
    """{"lines_valid", "lines_covered", "percent", "directories": [{"name", "lines_valid",
    "lines_covered", "percent"}]} over the files under `prefix` of a Cobertura document."""
    root = ET.fromstring(text)
    directories = {}
    total_valid = total_covered = 0
    for class_el in root.iter("class"):
        filename = class_el.get("filename", "")
        if not filename.startswith(prefix):
            continue
        valid, covered = _line_counts(class_el)
        total_valid += valid
        total_covered += covered
        directory = os.path.dirname(filename) or "."
        entry = directories.setdefault(directory, [0, 0])
        entry[0] += valid
        entry[1] += covered
    return {
        "lines_valid": total_valid,
        "lines_covered": total_covered,
        "percent": 100.0 * total_covered / total_valid if total_valid else None,
        "timestamp": root.get("timestamp"),
        "directories": [
            {
                "name": name,
                "lines_valid": v,
                "lines_covered": c,
                "percent": 100.0 * c / v if v else None,
            }
            for name, (v, c) in sorted(directories.items())
        ],
    }


def read(coverage_dir):
    """The coverage view for the report: {"available": bool, "note", ...parse_cobertura keys,
    "threshold", "passed", "html"}."""
    xml_path = os.path.join(coverage_dir, XML_NAME)
    if not os.path.exists(xml_path):
        return {
            "available": False,
            "note": f"not run (no {xml_path}; run ./scripts/coremod " f"coverage)",
            "dir": coverage_dir,
        }
    try:
        with open(xml_path, encoding="utf-8") as f:
            view = parse_cobertura(f.read())
    except (OSError, ET.ParseError) as exc:
        return {
            "available": False,
            "note": f"unreadable coverage report {xml_path}: {exc}",
            "dir": coverage_dir,
        }
    view.update(
        available=True,
        note="",
        dir=coverage_dir,
        xml=xml_path,
        threshold=None,
        passed=None,
        generated_at=None,
        html=None,
    )
    summary_path = os.path.join(coverage_dir, SUMMARY_NAME)
    if os.path.exists(summary_path):
        try:
            with open(summary_path, encoding="utf-8") as f:
                summary = json.load(f)
            view.update(
                threshold=summary.get("threshold"),
                passed=summary.get("passed"),
                generated_at=summary.get("generated_at"),
                html=summary.get("html"),
            )
        except (OSError, ValueError):
            pass
    return view
