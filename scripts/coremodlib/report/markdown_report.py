"""summary.md: the certification for a person: verdict first, then the verdict of each API area
(failing areas first), the cases that did not pass, the advisories with their reasons, the gates
(with their confidence intervals and any comparison with a baseline), what made the run noisy,
the environment, and every case. A `coremod gate` record (scope "gate") has no cases."""

FILE_NAME = "summary.md"

_STAT_NAMES = {"min": "every sample", "max": "every sample"}
_STATUS_ORDER = (
    "internal_error",
    "fail",
    "crash",
    "timeout",
    "advisory",
    "quality_warning",
    "not_supported",
    "pass",
)
# How the areas are listed: what decides the verdict first, then the table's order.
AREA_ORDER = ("internal_error", "fail", "advisories", "pass", "skipped")


def _cell(value):
    """Text safe inside a Markdown table cell."""
    if value is None:
        return "–"
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split())


def _num(value):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _head(cert):
    cand, env = cert["candidate"], cert["environment"]
    commit = env.get("commit", "unknown")
    if env.get("commit_dirty"):
        commit += " (with uncommitted changes)"
    which = " (the reference implementation)" if cand.get("is_reference") else ""
    if cand.get("emulated"):
        which += f" — built for {cand.get('machine')}, run under qemu-user (conformance only)"
    title = {"gate": "gate run", "partial": "partial run"}.get(cert.get("scope"), "certification")
    headline = cert.get("headline") or cert["verdict"].upper()
    lines = [
        f"# coremod {title}: {headline}",
        "",
        f"- **Verdict:** {cert['verdict']} (exit code {cert['exit_code']}): {cert['reason']}",
    ]
    if cert.get("profile"):
        names = ", ".join(a["name"] for a in cert.get("areas") or [])
        lines.append(
            f"- **Profile:** {cert['profile']}"
            + (f" (areas {names})" if names else "")
            + ("; `--strict-spec`: advisories reject" if cert.get("strict_spec") else "")
        )
    if cert.get("scope") == "partial":
        lines.append(
            "- **Partial run** (`--area`/`--case`): not a certification; only the "
            "selected cases ran."
        )
    return lines + [
        f"- **Candidate:** `{cand['path']}`{which}",
        f"- **sha256:** `{cand['sha256']}` ({cand['size_bytes']} bytes)",
        f"- **Harness:** coremod {cert['harness_version']}, commit {commit}",
        f"- **Run:** {cert['started_at']} to {cert['finished_at']}",
        "",
    ]


def ordered_areas(areas):
    """Areas as the reports list them: failing ones first (core first: the table's order), then
    areas with advisories, then the rest."""
    return sorted(
        areas, key=lambda a: (AREA_ORDER.index(a["status"]) if a["status"] in AREA_ORDER else 0)
    )


def _area_order(cert):
    return {a["name"]: i for i, a in enumerate(ordered_areas(cert.get("areas") or []))}


def _by_area(cert, cases):
    order = _area_order(cert)
    return sorted(cases, key=lambda c: (order.get(c.get("area"), len(order)), c["id"]))


def _areas_section(cert):
    areas = cert.get("areas") or []
    if not areas:
        return []
    out = ["## Verdict by API area", ""]
    rows = []
    for a in ordered_areas(areas):
        c = a["counts"]
        first = ", ".join(a["first_failing"] or a.get("first_internal_errors") or [])
        rows.append(
            (
                a["name"],
                "document" if a["kind"] == "document" else "coremod extension",
                f"**{a['status']}**",
                c.get("total", 0),
                c.get("pass", 0),
                c.get("fail", 0) + c.get("crash", 0) + c.get("timeout", 0),
                c.get("advisory", 0),
                c.get("not_supported", 0),
                c.get("quality_warning", 0),
                c.get("internal_error", 0),
                ", ".join(a["missing_functions"]) or None,
                first or None,
                a["reason"],
            )
        )
    out += _table(
        [
            "area",
            "declared by",
            "status",
            "cases",
            "pass",
            "fail/crash/timeout",
            "advisory",
            "not supported",
            "quality warning",
            "internal error",
            "missing functions",
            "first failing",
            "why",
        ],
        rows,
    )
    out += [
        "",
        "An area fails when a case of a document-level clause fails, crashes or times "
        "out, or when the candidate does not export one of its functions (its cases are then "
        "not run). Advisory cases check coremod-level clauses (the document leaves the "
        "behaviour open): shown and counted, they reject only with `--strict-spec`.",
        "",
    ]
    return out


def _cases_section(cert):
    counts = cert["counts"]
    out = ["## Conformance cases", ""]
    out += _table(
        ["status", "cases"],
        [(s, counts.get(s, 0)) for s in _STATUS_ORDER] + [("**total**", counts.get("total", 0))],
    )
    out.append("")
    rejecting = _by_area(
        cert,
        [c for c in cert["cases"] if c["status"] in ("internal_error", "fail", "crash", "timeout")],
    )
    if rejecting:
        out += ["### Cases that rejected (or, internal_error, gave no verdict)", ""]
        out += _table(
            ["case", "area", "SPEC", "status", "title", "message"],
            [
                (c["id"], c.get("area"), c["clause"], c["status"], c["title"], c["message"])
                for c in rejecting
            ],
        )
        out.append("")
    advisories = _by_area(cert, [c for c in cert["cases"] if c["status"] == "advisory"])
    if advisories:
        verdict = (
            "they reject this run (`--strict-spec`)"
            if cert.get("strict_spec")
            else "they do not reject (`--strict-spec` would)"
        )
        out += [
            f"### Advisories ({len(advisories)})",
            "",
            "Cases of coremod-level SPEC clauses that did not pass: the document leaves the "
            "behaviour open, and the clause is the reference's choice and coremod's "
            f"recommendation; {verdict}.",
            "",
        ]
        out += _table(
            ["case", "area", "SPEC", "outcome", "title", "message", "why advisory"],
            [
                (
                    c["id"],
                    c.get("area"),
                    c["clause"],
                    c.get("outcome"),
                    c["title"],
                    c["message"],
                    c.get("why_advisory"),
                )
                for c in advisories
            ],
        )
        out.append("")
    other = [c for c in cert["cases"] if c["status"] in ("quality_warning", "not_supported")]
    other.sort(key=lambda c: (_STATUS_ORDER.index(c["status"]), c["id"]))
    if other:
        out += ["### Cases not supported or with a quality warning", ""]
        out += _table(
            ["case", "SPEC", "status", "title", "message"],
            [(c["id"], c["clause"], c["status"], c["title"], c["message"]) for c in other],
        )
        out.append("")
    return out


def _interval(gate):
    bounds = gate.get("budget_ci")
    if not bounds:
        return None
    return "[" + ", ".join(_num(v) for v in bounds) + "]"


def _compared(gate):
    comparison = gate.get("baseline_comparison")
    if not comparison:
        return None
    if comparison.get("summary"):  # the rule's own words (regression.describe)
        return comparison["summary"].split(": ", 1)[-1]
    ratio = comparison.get("change_ratio")
    change = "n/a" if ratio is None else f"{(ratio - 1) * 100:+.1f}%"
    return (
        f"{comparison['result'].replace('_', ' ')} ({change}, "
        f"p_adj {comparison['p_adjusted']:.2g})"
    )


def _cold(gate):
    cold = gate.get("cold")
    return f"{_num(cold['p50'])} / {_num(cold['p99'])} (n={cold['samples']})" if cold else None


def _gates_section(cert):
    out = ["## Performance gates", ""]
    if cert.get("gates_note"):
        out += [cert["gates_note"], ""]
    compared = any(g.get("baseline_comparison") for g in cert["gates"])
    cold = any(g.get("cold") for g in cert["gates"])
    if cert["gates"]:
        header = (
            [
                "operation",
                "SPEC",
                "gate",
                "unit",
                "p50",
                "p90",
                "p99",
                "max",
                "MAD",
                "95% CI of gate statistic",
                "samples",
                "rounds",
                "raw p50",
                "ratio to raw",
                "status",
            ]
            + (["first call p50 / p99"] if cold else [])
            + (["vs baseline"] if compared else [])
        )
        out += _table(
            header,
            [
                (
                    g["operation"],
                    g["clause"],
                    f"{_STAT_NAMES.get(g['statistic'], g['statistic'])} {g['comparison']} "
                    f"{_num(g['budget'])} {g['unit']}",
                    g["unit"],
                    _num(g["p50"]),
                    _num(g["p90"]),
                    _num(g["p99"]),
                    _num(g["max"]),
                    _num(g["mad"]),
                    _interval(g),
                    g["samples"],
                    g.get("rounds"),
                    f"{_num(g['raw_p50'])} ({g['raw_baseline']})"
                    if g.get("raw_baseline")
                    else None,
                    f"{g['raw_ratio']:.2f}×" if g.get("raw_ratio") is not None else None,
                    g["status"],
                )
                + ((_cold(g),) if cold else ())
                + ((_compared(g),) if compared else ())
                for g in cert["gates"]
            ],
        )
        out += [
            "",
            "Time gates judge p99 by its 95 % distribution-free confidence interval "
            "(order statistics): pass when the interval lies under the budget, fail when it "
            "lies over it, otherwise more rounds and then *inconclusive* (which fails only "
            "with --strict). Every-sample gates (capacities, memory per module) compare the "
            "lowest or highest sample. MAD is the median absolute deviation; the ratio to "
            "raw is p50(candidate) / p50(platform loader on the same files). Where an "
            "operation is timed in batches, each sample is a batch mean (see "
            "perf/README.md; rules in docs/gates.md)."
            + (
                " First call: the gate's operation called first in a fresh process (for "
                "module_get_symbol: the first lookup of a symbol), reported, not judged."
                if cold
                else ""
            ),
            "",
        ]
        for g in cert["gates"]:
            if g["status"] in ("fail", "inconclusive"):
                out.append(f"- **{g['operation']}** {g['status']}: {g['message']}")
            if (g.get("baseline_comparison") or {}).get("result") == "regression":
                out.append(
                    f"- **{g['operation']}** regressed: {_compared(g)}, minimum effect "
                    f"{g['baseline_comparison']['min_effect'] * 100:g}%"
                )
        if any(
            g["status"] in ("fail", "inconclusive")
            or _compared(g)
            and g["baseline_comparison"]["result"] == "regression"
            for g in cert["gates"]
        ):
            out.append("")
    out += _baseline_lines(cert)
    if cert.get("measurements"):
        out += ["### Other measurements (no budget)", ""]
        out += _table(
            ["operation", "unit", "p50", "p99", "max", "MAD", "samples", "ratio to raw"],
            [
                (
                    m["operation"],
                    m["unit"],
                    _num(m["p50"]),
                    _num(m["p99"]),
                    _num(m["max"]),
                    _num(m["mad"]),
                    m["samples"],
                    f"{m['raw_ratio']:.2f}×" if m.get("raw_ratio") is not None else None,
                )
                for m in cert["measurements"]
            ],
        )
        out.append("")
    return out


def _baseline_lines(cert):
    baseline = cert.get("baseline")
    if not baseline:
        return []
    out = ["### Baseline", ""]
    if baseline.get("name") is None:
        out += [baseline.get("note") or "No baseline to compare with.", ""]
        return out
    out.append(
        f"Compared with **{baseline['name']}** ({baseline.get('source')}): a regression "
        f"is a Mann-Whitney U difference significant after Holm's correction AND a "
        f"change of the median larger than the gate's minimum effect."
    )
    out.append("")
    for warning in baseline.get("environment_warnings") or []:
        out.append(f"- ⚠ **different machine**: {warning} — timings are not comparable")
    if baseline.get("environment_warnings"):
        out.append("")
    return out


def _noise_section(cert):
    facts = cert.get("noise")
    if not facts:
        return []
    out = ["## Noise", ""]
    out += [f"- ⚠ {w}" for w in facts.get("warnings") or []] or ["- no noise warnings"]
    load = facts.get("loadavg")
    out += [
        "",
        f"Governor: {facts.get('governor') or 'not exposed'}; load average before: "
        f"{' '.join(str(v) for v in load) if load else 'unknown'}; usable cores: "
        f"{facts.get('cores_usable')}; virtual machine: "
        f"{facts.get('virtualization') or 'no'}; steal time: "
        f"{_num(facts.get('steal_percent'))}%.",
        "",
    ]
    return out


def _environment_section(cert):
    env = cert["environment"]
    keys = (
        "cpu_model",
        "cores",
        "cores_usable",
        "machine",
        "kernel",
        "os",
        "compiler",
        "virtualization",
        "container",
        "commit",
    )
    out = ["## Environment", ""]
    out += _table(["fact", "value"], [(k, env.get(k)) for k in keys if k in env])
    out.append("")
    return out


def _all_cases_section(cert):
    out = ["## All cases", "", "<details><summary>" f"{len(cert['cases'])} cases</summary>", ""]
    out += _table(
        ["case", "SPEC", "level", "status", "title", "message"],
        [
            (
                c["id"],
                c["clause"],
                c.get("level"),
                c["status"]
                + (f" ({c['outcome']})" if c["status"] == "advisory" and c.get("outcome") else ""),
                c["title"],
                c["message"],
            )
            for c in cert["cases"]
        ],
    )
    out += ["", "</details>", ""]
    return out


def _count(value):
    """Instructions per operation: one decimal, never an exponent (15482.0, not 1.548e+04)."""
    return "–" if value is None else f"{value:.1f}"


def _instructions_section(cert):
    """Instruction counts beside the time verdicts (--metric instructions)."""
    counted = cert.get("instructions")
    if not counted:
        return []
    out = ["### Instruction counts (valgrind callgrind)", ""]
    if counted.get("comparable"):
        out.append(
            f"Compared with `{counted.get('baseline')}`: a count more than "
            f"{counted.get('threshold', 0) * 100:g}% above it is a regression and "
            f"fails the gate (the time verdict is kept beside it)."
        )
    else:
        out.append(
            f"**Not judged**: the counts are not comparable with "
            f"`{counted.get('baseline')}`: " + "; ".join(counted.get("reasons") or [])
        )
    out.append("")
    by_gate = {g["operation"]: g for g in cert["gates"]}
    rows = []
    for name, entry in (counted.get("operations") or {}).items():
        gate = by_gate.get(name, {})
        ratio = entry.get("change_ratio")
        rows.append(
            (
                name,
                gate.get("time_status", gate.get("status")),
                _num(gate.get("p99")),
                gate.get("unit"),
                _count(entry.get("per_op")),
                _count(entry.get("baseline")),
                None if ratio is None else f"{(ratio - 1) * 100:+.2f}%",
                entry.get("status", "").replace("_", " "),
            )
        )
    out += _table(
        [
            "operation",
            "time verdict",
            "p99",
            "unit",
            "instructions/op",
            "baseline",
            "change",
            "count verdict",
        ],
        rows,
    )
    out.append("")
    return out


def _whole_process_section(cert):
    wp = cert.get("whole_process")
    if not wp:
        return []
    out = ["### Whole process (hyperfine)", ""]
    if wp.get("error"):
        return out + [f"Not run: {wp['error']}", ""]
    ratio = wp["ratio"]
    ci = ratio.get("of_medians_ci")
    out.append(
        f"A process that initialises the system and loads {wp['modules']} modules, "
        f"against raw dlopen of the same files; {wp['runs']} runs each after "
        f"{wp['warmup']} warm-up ({wp.get('tool')}). {wp.get('note', '')}"
    )
    out.append("")
    out += _table(
        ["process", "median ms", "mean ms", "σ ms", "min ms", "max ms"],
        [
            (
                name,
                _num(c["median_s"] * 1e3),
                _num(c["mean_s"] * 1e3),
                _num(c["stddev_s"] * 1e3),
                _num(c["min_s"] * 1e3),
                _num(c["max_s"] * 1e3),
            )
            for name, c in wp["commands"].items()
        ],
    )
    out += [
        "",
        f"coremod / raw: **{ratio['of_medians']:.3f}×** (ratio of medians"
        + (f", 95% CI {ci[0]:.3f}–{ci[1]:.3f}" if ci else "")
        + f"); ratio of means "
        f"{ratio['of_means']:.3f} ± {ratio['of_means_stddev']:.3f}.",
        "",
    ]
    return out


def render(cert):
    supplements = _instructions_section(cert) + _whole_process_section(cert)
    if cert.get("scope") == "gate":
        lines = (
            _head(cert)
            + _gates_section(cert)
            + supplements
            + _noise_section(cert)
            + _environment_section(cert)
        )
    else:
        lines = (
            _head(cert)
            + _areas_section(cert)
            + _cases_section(cert)
            + _gates_section(cert)
            + supplements
            + _noise_section(cert)
            + _environment_section(cert)
            + _all_cases_section(cert)
        )
    return "\n".join(lines)
