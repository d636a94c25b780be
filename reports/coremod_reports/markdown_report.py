"""summary.md: the certification for a person: verdict first, then what did not pass, the gates,
the environment, and every case."""

FILE_NAME = "summary.md"

_STAT_NAMES = {"min": "every sample"}
_STATUS_ORDER = ("fail", "crash", "timeout", "quality_warning", "not_supported", "pass")


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
    return [
        f"# coremod certification: {cert['verdict'].upper()}",
        "",
        f"- **Verdict:** {cert['verdict']} (exit code {cert['exit_code']}): {cert['reason']}",
        f"- **Candidate:** `{cand['path']}`{which}",
        f"- **sha256:** `{cand['sha256']}` ({cand['size_bytes']} bytes)",
        f"- **Harness:** coremod {cert['harness_version']}, commit {commit}",
        f"- **Run:** {cert['started_at']} to {cert['finished_at']}",
        "",
    ]


def _cases_section(cert):
    counts = cert["counts"]
    out = ["## Conformance cases", ""]
    out += _table(["status", "cases"], [(s, counts.get(s, 0)) for s in _STATUS_ORDER]
                  + [("**total**", counts.get("total", 0))])
    out.append("")
    notable = [c for c in cert["cases"] if c["status"] != "pass"]
    notable.sort(key=lambda c: (_STATUS_ORDER.index(c["status"]), c["id"]))
    if notable:
        out += ["### Cases that did not simply pass", ""]
        out += _table(["case", "SPEC", "status", "title", "message"],
                      [(c["id"], c["clause"], c["status"], c["title"], c["message"])
                       for c in notable])
        out.append("")
    return out


def _gates_section(cert):
    out = ["## Performance gates", ""]
    if cert.get("gates_note"):
        out += [cert["gates_note"], ""]
    if cert["gates"]:
        out += _table(
            ["operation", "SPEC", "gate", "unit", "p50", "p90", "p99", "max", "MAD", "samples",
             "raw p50", "ratio to raw", "status"],
            [(g["operation"], g["clause"],
              f"{_STAT_NAMES.get(g['statistic'], g['statistic'])} {g['comparison']} "
              f"{_num(g['budget'])} {g['unit']}", g["unit"],
              _num(g["p50"]), _num(g["p90"]), _num(g["p99"]), _num(g["max"]), _num(g["mad"]),
              g["samples"],
              f"{_num(g['raw_p50'])} ({g['raw_baseline']})" if g.get("raw_baseline") else None,
              f"{g['raw_ratio']:.2f}×" if g.get("raw_ratio") is not None else None,
              g["status"]) for g in cert["gates"]])
        out += ["", "Each gate compares one statistic of the samples with its budget: p99 for "
                "times and memory; the lowest sample for capacities (every sample must reach "
                "it). MAD is the median absolute deviation; the ratio to raw is "
                "p50(candidate) / p50(platform loader on the same files). Where an operation "
                "is timed in batches, each sample is a batch mean (see perf/README.md).", ""]
        failed = [g for g in cert["gates"] if g["status"] == "fail"]
        for g in failed:
            out.append(f"- **{g['operation']}** failed: {g['message']}")
        if failed:
            out.append("")
    if cert.get("measurements"):
        out += ["### Other measurements (no budget)", ""]
        out += _table(["operation", "unit", "p50", "p99", "max", "MAD", "samples", "ratio to raw"],
                      [(m["operation"], m["unit"], _num(m["p50"]), _num(m["p99"]),
                        _num(m["max"]), _num(m["mad"]), m["samples"],
                        f"{m['raw_ratio']:.2f}×" if m.get("raw_ratio") is not None else None)
                       for m in cert["measurements"]])
        out.append("")
    return out


def _environment_section(cert):
    env = cert["environment"]
    keys = ("cpu_model", "cores", "cores_usable", "machine", "kernel", "os", "compiler",
            "virtualization", "commit")
    out = ["## Environment", ""]
    out += _table(["fact", "value"], [(k, env.get(k)) for k in keys if k in env])
    out.append("")
    return out


def _all_cases_section(cert):
    out = ["## All cases", "", "<details><summary>"
           f"{len(cert['cases'])} cases</summary>", ""]
    out += _table(["case", "SPEC", "status", "title", "message"],
                  [(c["id"], c["clause"], c["status"], c["title"], c["message"])
                   for c in cert["cases"]])
    out += ["", "</details>", ""]
    return out


def render(cert):
    lines = (_head(cert) + _cases_section(cert) + _gates_section(cert)
             + _environment_section(cert) + _all_cases_section(cert))
    return "\n".join(lines)
