"""report.html: the certification as one self-contained page — verdict banner, conformance by
area (failures first), the gates with time and instruction metrics side by side, a distribution
plot per gate, history trends, the whole-process benchmark, the environment with its noise
warnings, and the coverage summary.

Self-contained: inline CSS, plots as inline SVG (plots.py), no scripts, no fonts or anything else
fetched; it opens from a file on a machine without network access. The page is rendered from the
certification record with a jinja2 template (templates/report.html.j2); the history (SQLite) and
the latest coverage run are read beside it, when they exist.
"""
import datetime
import json
import os
import re

import jinja2

from coremodlib import paths, units

from . import coverage_view, history_view, plots

FILE_NAME = "report.html"
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

REJECTING = ("fail", "crash", "timeout", "internal_error")
CASE_ORDER = (
    "internal_error",
    "fail",
    "crash",
    "timeout",
    "advisory",
    "quality_warning",
    "not_supported",
    "pass",
)
GATE_ORDER = ("fail", "error", "inconclusive", "pass", "skipped")


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def area_of(case_id, suite=""):
    """The area of a case: its id's first two parts (CORE-LOAD-003 -> CORE-LOAD)."""
    parts = str(case_id).split("-")
    if len(parts) >= 3 and all(p.isalnum() for p in parts[:2]):
        return "-".join(parts[:2])
    return suite or "other"


def conformance_areas(cases):
    """Areas with their status counts and cases; areas with rejecting cases first, and in each
    area the cases that did not simply pass first."""
    areas = {}
    for case in cases:
        area = areas.setdefault(
            area_of(case["id"], case.get("suite")),
            {"counts": {s: 0 for s in CASE_ORDER}, "cases": []},
        )
        area["counts"][case["status"]] = area["counts"].get(case["status"], 0) + 1
        area["cases"].append(case)
    out = []
    for name, area in areas.items():
        bad = sum(area["counts"].get(s, 0) for s in REJECTING)
        area["cases"].sort(
            key=lambda c: (
                CASE_ORDER.index(c["status"]) if c["status"] in CASE_ORDER else 0,
                c["id"],
            )
        )
        out.append(
            {
                "name": name,
                "id": slug(name),
                "counts": area["counts"],
                "total": len(area["cases"]),
                "bad": bad,
                "warned": area["counts"].get("quality_warning", 0)
                + area["counts"].get("advisory", 0),
                "cases": area["cases"],
            }
        )
    out.sort(key=lambda a: (-a["bad"], -a["warned"], a["name"]))
    return out


def verdict_class(cert):
    verdict = cert.get("verdict")
    if verdict in ("certified", "passed"):
        return "ok"
    if verdict == "partial":
        return "partial"
    return "bad"


def api_areas(cert):
    """The record's verdict per API area, failing areas first (markdown_report.ordered_areas)."""
    from .markdown_report import ordered_areas

    return ordered_areas(cert.get("areas") or [])


def advisories(cert):
    order = {a["name"]: i for i, a in enumerate(api_areas(cert))}
    return sorted(
        (c for c in cert.get("cases", []) if c.get("status") == "advisory"),
        key=lambda c: (order.get(c.get("area"), len(order)), c["id"]),
    )


def _bench_operations(cert):
    """The runner's raw results by operation (for raw-loader samples), or {}."""
    path = (cert.get("artifacts") or {}).get("bench_results")
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        return {op["name"]: op for op in doc.get("operations", []) if isinstance(op, dict)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _converted(values, from_unit, to_unit):
    try:
        return [units.convert(float(v), from_unit, to_unit) for v in values]
    except (ValueError, TypeError):
        return []


def _gate_samples(gate, bench_op):
    """(candidate samples, raw-loader samples) in the gate's unit."""
    samples = list(gate.get("raw_samples") or [])
    if not samples and bench_op and bench_op.get("samples"):
        samples = _converted(bench_op["samples"], bench_op.get("unit", gate["unit"]), gate["unit"])
    raw = []
    baseline = (bench_op or {}).get("raw_baseline")
    if isinstance(baseline, dict) and baseline.get("samples"):
        raw = _converted(
            baseline["samples"], baseline.get("unit", bench_op.get("unit")), gate["unit"]
        )
    return samples, raw


def gate_views(cert, history):
    bench_ops = _bench_operations(cert)
    views = []
    for gate in cert.get("gates", []):
        view = dict(gate)
        view["id"] = slug(gate["operation"])
        view.setdefault("metric", "time")
        stat_ci = (gate.get("ci") or {}).get(gate.get("statistic")) or [None, None]
        view["stat_ci"] = stat_ci if any(v is not None for v in stat_ci) else None
        samples, raw = _gate_samples(gate, bench_ops.get(gate["operation"]))
        view["plot"], view["plot_note"] = None, ""
        if samples:
            view["plot"] = plots.distribution(
                view["id"],
                samples,
                gate["unit"],
                budget=gate.get("budget"),
                comparison=gate.get("comparison", "<"),
                p50=gate.get("p50"),
                p99=gate.get("p99"),
                raw_samples=raw,
                raw_label=f"raw {gate.get('raw_baseline') or 'loader'}",
            )
        else:
            view["plot_note"] = f"no samples to plot: {gate.get('message') or gate['status']}"
        series = history["gates"].get(gate["operation"])
        view["trend"] = None
        if series and len(series["points"]) >= 1:
            view["trend"] = plots.trend(
                view["id"],
                series["points"],
                series["unit"],
                series["budget"],
                gate.get("comparison", "<"),
            )
            view["trend_regressions"] = sum(
                1 for p in series["points"] if p.get("regression") == "regression"
            )
            view["trend_runs"] = len(series["points"])
        views.append(view)
    return views


def _fmt(value, digits=4):
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _pct_change(ratio):
    if ratio is None:
        return "–"
    return f"{(ratio - 1) * 100:+.2f} %"


def _ms(seconds):
    return "–" if seconds is None else f"{seconds * 1e3:.3g} ms"


def whole_process_view(cert):
    wp = cert.get("whole_process")
    if not wp:
        return None
    view = dict(wp)
    if wp.get("commands") and all(c.get("times_s") for c in wp["commands"].values()):
        view["plot"] = plots.whole_process(wp["commands"])
    return view


def noise_view(cert):
    noise = cert.get("noise") or {}
    warnings = list(noise.get("warnings") or [])
    return {"facts": {k: v for k, v in noise.items() if k != "warnings"}, "warnings": warnings}


def build_view(cert, history_path=None, coverage_dir=None, generated_at=None):
    history = history_view.read(
        history_path or (cert.get("options") or {}).get("history") or paths.HISTORY_FILE
    )
    gates = gate_views(cert, history)
    gate_ops = {g["operation"] for g in gates}
    other_trends = []
    for key, series in sorted(history["gates"].items()):
        if key not in gate_ops and series["points"]:
            other_trends.append(
                {
                    "name": key,
                    "id": slug(key),
                    "svg": plots.trend(
                        slug(key), series["points"], series["unit"], series["budget"]
                    ),
                }
            )
    counts = cert.get("counts", {})
    gate_counts = {s: sum(1 for g in gates if g["status"] == s) for s in GATE_ORDER}
    return {
        "cert": cert,
        "verdict_class": verdict_class(cert),
        "headline": cert.get("headline") or str(cert.get("verdict", "")).upper(),
        "api_areas": api_areas(cert),
        "advisories": advisories(cert),
        "areas": conformance_areas(cert.get("cases", [])),
        "case_counts": counts,
        "gates": gates,
        "gate_counts": gate_counts,
        "any_instructions": any(g.get("instructions") for g in gates),
        "instructions": cert.get("instructions"),
        "measurements": cert.get("measurements") or [],
        "whole_process": whole_process_view(cert),
        "environment": cert.get("environment") or {},
        "noise": noise_view(cert),
        "history": history,
        "other_trends": other_trends,
        "coverage": coverage_view.read(coverage_dir or paths.COVERAGE_OUT_DIR),
        "generated_at": generated_at
        or datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def _environment():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=_fmt, pct_change=_pct_change, ms=_ms, slug=slug, unit=plots.unit_label)
    return env


def render(cert, history_path=None, coverage_dir=None, generated_at=None):
    view = build_view(cert, history_path, coverage_dir, generated_at)
    return _environment().get_template("report.html.j2").render(**view)
