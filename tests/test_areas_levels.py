"""On synthetic data: the API areas and profiles table, the SPEC levels, judging cases by
their clauses' levels (advisories, internal errors), a verdict per area that leads the reason,
gates for the areas that passed, and partial runs (--area, --case), with a stand-in for the
Criterion suite that honours --filter."""
import collections
import json
import os
import re
import textwrap

import pytest

from coremodlib import report as reports
from conftest import REPO_ROOT
from coremodlib.report import html_report, junit_report, markdown_report
from coremodlib.judge import areas, gates, judging
from coremodlib.records import budgets as budgets_mod, case_results, spec_levels
from coremodlib.judge import certification
from coremodlib.workflows import certify
from coremodlib.run import measurement, requests, suite
from coremodlib.errors import HarnessError
from coremodlib.progress import Silent

import xml.etree.ElementTree as ET

HEADER = os.path.join(REPO_ROOT, "conformance", "binding", "candidate_api.h")
BUDGETS = os.path.join(REPO_ROOT, "perf", "budgets.toml")


def header_functions(macro):
    """The function names of an X-macro list of candidate_api.h."""
    with open(HEADER, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"#define {macro}(X)"))
    body = []
    for line in lines[start + 1 :]:
        body.append(line)
        if not line.rstrip().endswith("\\"):
            break
    return re.findall(r"\bX\(\s*[^,]+,\s*(\w+)\s*,", "\n".join(body))


# ---- the areas table -----------------------------------------------------------------------


def header_lists():
    with open(HEADER, encoding="utf-8") as f:
        return re.findall(r"^#define (CANDIDATE_\w+_FUNCTIONS)\(X\)", f.read(), re.M)


def test_area_functions_are_the_binding_headers_lists():
    """The table's functions are exactly what the suite binds (every X-macro list of
    conformance/binding/candidate_api.h), the core area's exactly CANDIDATE_CORE_FUNCTIONS."""
    lists = header_lists()
    assert "CANDIDATE_CORE_FUNCTIONS" in lists and len(lists) >= 2
    core = header_functions("CANDIDATE_CORE_FUNCTIONS")
    assert len(core) == 10
    assert list(areas.BY_NAME["core"].functions) == core
    bound = [f for name in lists for f in header_functions(name)]
    assert len(bound) == len(set(bound))
    assert sorted(bound) == sorted(areas.all_functions())
    everything = areas.all_functions()
    assert len(everything) == len(set(everything)), "a function in two areas"
    for area in ("jit", "cache", "numa"):
        assert all(f.startswith(area + "_") for f in areas.BY_NAME[area].functions)
    assert set(areas.BY_NAME["numa-ext"].functions) == {
        "numa_release_placement",
        "numa_apply_placement",
    }
    # the document's four debugger functions; coremod's additions are an extension (SPEC 14)
    assert areas.BY_NAME["debugger"].functions == (
        "module_debugger_create",
        "module_debugger_set_breakpoint",
        "module_debugger_set_watchpoint",
        "module_debugger_get_processor_state",
    )
    assert all(f.startswith("module_debugger_") for f in areas.BY_NAME["debugger-ext"].functions)


def test_every_budgeted_gate_belongs_to_exactly_one_area():
    for budget in budgets_mod.load(BUDGETS):
        owners = [a.name for a in areas.AREAS if budget.operation in a.gates]
        assert len(owners) == 1, (budget.operation, owners)
    assert areas.area_of_gate("module_load") == "core"
    assert areas.area_of_gate("memory_per_module") == "core"
    assert areas.area_of_gate("numa_place_module") == "numa"


@pytest.mark.parametrize(
    "suite_name, area",
    [
        ("core_load", "core"),
        ("core_validation", "core"),
        ("jit_hint", "jit"),
        ("cache_pf", "cache"),
        ("numa_place", "numa"),
        ("numa_conc", "numa"),
        ("numa_apply", "numa-ext"),
        ("numa_release", "numa-ext"),
        ("topo_replay", "topology"),
        ("topo_api", "topology"),
        ("harness", "core"),
        ("debugger_bp", "debugger"),
        ("debugger_example", "debugger"),
        ("debugger_event", "debugger-ext"),
        ("debugger_state", "debugger-ext"),
        ("profiler_x", None),
    ],
)
def test_suites_map_to_one_area(suite_name, area):
    assert areas.area_of_suite(suite_name) == area


def test_profiles():
    assert [a.name for a in areas.profile_areas("core")] == ["core"]
    assert [a.name for a in areas.profile_areas("full")] == [
        "core",
        "jit",
        "cache",
        "numa",
        "debugger",
    ]
    assert all(a.declared for a in areas.profile_areas("full")), "full holds no extension"
    assert [a.name for a in areas.profile_areas("coremod")] == list(areas.NAMES)
    assert {a.name for a in areas.AREAS if not a.declared} == {
        "numa-ext",
        "topology",
        "debugger-ext",
    }
    assert areas.DEFAULT_PROFILE == "full"
    for area in areas.AREAS:
        assert all(n in areas.BY_NAME for n in area.needs)


def test_gate_command_measures_the_gates_of_its_profile():
    from coremodlib.workflows import gate

    table = budgets_mod.load(BUDGETS)
    assert [b.operation for b in gate.profile_budgets(table, "core")] == list(
        areas.BY_NAME["core"].gates
    )
    assert len(gate.profile_budgets(table, "full")) == len(table)
    own = budgets_mod.make("my_operation", "p99", "<", 1, "ns")
    assert gate.profile_budgets([own], "core") == [own]  # no area: kept


# ---- SPEC levels ---------------------------------------------------------------------------


def test_every_numbered_clause_of_spec_has_a_level():
    levels = spec_levels.load()
    with open(spec_levels.SPEC_FILE, encoding="utf-8") as f:
        numbered = re.findall(r"^- \*\*(\d+\.\d+)\b", f.read(), re.M)
    assert len(numbered) >= 100
    for clause in numbered:
        entry = levels[clause]
        assert entry.problem is None, entry.problem
        assert entry.level in ("document", "coremod"), clause
        if entry.level == "document":
            assert entry.quote and entry.section and entry.sentence is None, entry
            assert len(entry.quote.split()) <= 25, clause
        else:
            assert entry.sentence and entry.quote is None, entry
    counts = collections.Counter(levels[c].level for c in numbered)
    assert counts["document"] >= 20 and counts["coremod"] >= 50, counts
    # clauses the issue names
    assert levels["3.3"].level == "coremod" and levels["5.2"].level == "document"
    assert levels["12.9"].level == "coremod" and levels["1.6"].level == "document"
    assert levels["3.1"].quote == '// Default: "./modules"'
    assert levels["3.1"].section == "Core Module System API: Data Types"
    assert levels["P.1"].level == "document" and levels["P.12"].level == "coremod"
    assert levels["P.13"].level == "coremod"  # the regression rule


SYNTHETIC_SPEC = textwrap.dedent(
    """\
    # SPEC

    ## 1. General

    - **1.1 Threads.** Every function may be called from any thread.
      Level: coremod — The document never mentions threads, so this is our choice.
    - **1.2 Arguments.** NULL fails with INVALID_PARAMETER.
      Level: document — "MODULE_ERROR_INVALID_PARAMETER = 1" (Error Codes)
      *Not yet enforced:* a note after the level line.
    - **1.3** *Split:* no title, quote with "inner" quotes.
      Level: document — "// Default: "./modules"" (Core API: Data Types)
    - **1.4 No level.** Nothing says whose rule this is.
    - **1.5 Two levels.** Level lines twice.
      Level: coremod — One.
      Level: coremod — Two.
    - **1.6 Bad level.** A level of another kind.
      Level: someone — it is not ours.

    ## 2. Next

    Level: coremod — not inside a clause, ignored.

    | clause | target | level |
    |---|---|---|
    | P.1 | init < 50 us | Level: document — "<50μs initialization time" (`module_system_init`) |
    """
)


def test_level_parsing_on_synthetic_text():
    levels = spec_levels.parse(SYNTHETIC_SPEC)
    assert levels["1.1"].level == "coremod"
    assert levels["1.1"].sentence == "The document never mentions threads, so this is our choice."
    assert levels["1.2"][1:4] == ("document", "MODULE_ERROR_INVALID_PARAMETER = 1", "Error Codes")
    assert levels["1.3"].quote == '// Default: "./modules"'
    assert levels["1.3"].section == "Core API: Data Types"
    assert "no Level line" in levels["1.4"].problem
    assert "2 Level lines" in levels["1.5"].problem
    assert "unknown level" in levels["1.6"].problem
    assert levels["P.1"].quote == "<50μs initialization time"
    assert levels["P.1"].section == "`module_system_init`"
    assert "2.1" not in levels and len(levels) == 7
    assert "does not have" in spec_levels.problem_of(levels, "9.9")
    assert spec_levels.problem_of(levels, "1.1") is None


@pytest.mark.parametrize(
    "text, complaint",
    [
        ('Level: document - "x" (y)', "not of the form"),
        ("Level: document — x (y)", "must read"),
        ('Level: document — "x"', "must read"),
        ("Level: coremod — ", "not of the form"),
    ],
)
def test_malformed_level_lines(text, complaint):
    with pytest.raises(ValueError, match=complaint):
        spec_levels.parse_level_text(text)


# ---- judging -------------------------------------------------------------------------------

LEVELS = spec_levels.parse(SYNTHETIC_SPEC)


def case(case_id, status, clause, suite_name=None, message="m"):
    suite_name = suite_name or "_".join(case_id.lower().split("-")[:2])
    return {
        "id": case_id,
        "suite": suite_name,
        "clause": clause,
        "title": f"title {case_id}",
        "status": status,
        "message": message,
        "elapsed_s": 0.01,
    }


@pytest.mark.parametrize(
    "status, clause, judged",
    [
        ("fail", "1.1", "advisory"),
        ("crash", "1.1", "advisory"),
        ("timeout", "1.1", "advisory"),
        ("pass", "1.1", "pass"),
        ("not_supported", "1.1", "not_supported"),
        ("quality_warning", "1.1", "quality_warning"),
        ("fail", "1.2", "fail"),
        ("crash", "1.3", "crash"),
        ("pass", "1.2", "pass"),
        ("internal_error", "1.2", "internal_error"),
        ("pass", "1.4", "internal_error"),  # the clause has no level line
        ("fail", "1.5", "internal_error"),  # two level lines
        ("fail", "9.9", "internal_error"),  # SPEC has no such clause
    ],
)
def test_statuses_by_level(status, clause, judged):
    got = judging.annotate([case("CORE-X-001", status, clause)], LEVELS)[0]
    assert got["status"] == judged
    assert got["outcome"] == status and got["area"] == "core"
    if judged == "advisory":
        assert got["why_advisory"] == (
            "SPEC 1.1 is a coremod rule: The document never mentions "
            "threads, so this is our choice."
        )
    else:
        assert got["why_advisory"] is None
    if judged == "internal_error" and status != "internal_error":
        assert got["message"].startswith("harness: ") and f"ended {status}" in got["message"]


def test_a_suite_of_no_area_is_a_harness_fault():
    got = judging.annotate([case("PROF-X-001", "pass", "1.2", suite_name="profiler")], LEVELS)[0]
    assert got["status"] == "internal_error" and "no API area" in got["message"]


def judged_record(
    cases,
    profile="full",
    missing=None,
    strict_spec=False,
    skipped=None,
    gate_records=(),
    scope="certification",
    selection=None,
    tmp_path=None,
):
    judged = judging.annotate(cases, spec_levels.load())
    records = judging.area_records(
        areas.profile_areas(profile),
        judged,
        missing=missing,
        skipped=skipped,
        strict_spec=strict_spec,
    )
    return certification.assemble(
        candidate={
            "path": "/x/libcand.so",
            "sha256": "ab" * 32,
            "size_bytes": 9,
            "is_reference": False,
            "machine": "x86_64",
            "emulated": False,
        },
        cases=judged,
        gates=list(gate_records),
        measurements=[],
        gates_note="",
        environment={"cpu_model": "CPU", "commit": "abc"},
        suite=None,
        bench=None,
        started_at="s",
        finished_at="f",
        harness_version="9",
        options={},
        artifacts={},
        scope=scope,
        profile=profile,
        areas=records,
        strict_spec=strict_spec,
        selection=selection,
    )


# Cases of real SPEC clauses: 3.3 and 10.7 are coremod-level, 5.2 and 3.8 document-level.
MIXED = [
    case("CACHE-PF-001", "fail", "11.5"),
    case("CACHE-PF-002", "fail", "11.5"),
    case("CORE-REF-002", "fail", "3.3"),
    case("CORE-SYM-002", "fail", "5.2"),
    case("CORE-LIMIT-001", "crash", "3.8"),
    case("CORE-LOAD-001", "pass", "3.1"),
    case("JIT-HINT-002", "timeout", "10.7"),
    case("NUMA-PLACE-001", "pass", "12.8"),
]


def test_reason_leads_with_failing_areas_core_first_then_advisories():
    cert = judged_record(MIXED)
    assert (cert["verdict"], cert["exit_code"]) == ("rejected", 1)
    assert cert["headline"] == "REJECTED, profile full"
    assert cert["reason"].startswith(
        "area core: 2 of 4 case(s) rejected (1 fail, 1 crash): CORE-LIMIT-001, CORE-SYM-002; "
        "4 advisory case(s) (coremod rules, not rejecting; --strict-spec would reject them): "
        "CORE-REF-002, JIT-HINT-002, CACHE-PF-001, CACHE-PF-002"
    )
    # cache's and jit's failures are coremod rules: advisories, listed after core's
    assert "area cache" not in cert["reason"] and "area jit" not in cert["reason"]
    status = {a["name"]: a["status"] for a in cert["areas"]}
    assert status == {
        "core": "fail",
        "jit": "advisories",
        "cache": "advisories",
        "numa": "pass",
        "debugger": "pass",
    }
    core = cert["areas"][0]
    assert core["first_failing"] == ["CORE-LIMIT-001", "CORE-SYM-002"]
    assert core["counts"]["advisory"] == 1 and core["counts"]["total"] == 4
    assert cert["counts"]["advisory"] == 4 and cert["counts"]["fail"] == 1


def test_advisories_alone_certify_and_strict_spec_rejects():
    advisory_only = [c for c in MIXED if c["clause"] not in ("5.2", "3.8")]
    cert = judged_record(advisory_only)
    assert (cert["verdict"], cert["exit_code"]) == ("certified", 0)
    assert cert["headline"] == "CERTIFIED, profile full"
    assert "4 advisory case(s)" in cert["reason"]
    strict = judged_record(advisory_only, strict_spec=True)
    assert (strict["verdict"], strict["exit_code"]) == ("rejected", 1)
    assert strict["reason"].startswith(
        "area core: 1 advisory case(s) rejected by --strict-spec: " "CORE-REF-002; area jit: "
    )
    assert "--strict-spec" in strict["reason"]
    assert [a["status"] for a in strict["areas"]] == ["fail", "fail", "fail", "pass", "pass"]


def test_missing_functions_fail_their_area_in_one_line():
    cases = [case("CORE-LOAD-001", "pass", "3.1"), case("NUMA-PLACE-001", "pass", "12.8")]
    missing = {
        "jit": ["jit_get_apple_silicon_info", "jit_generate_compilation_hints"],
        "cache": ["cache_optimization_create"],
    }
    cert = judged_record(cases, missing=missing)
    assert cert["exit_code"] == 1
    assert cert["reason"] == (
        "area jit: the candidate does not export jit_get_apple_silicon_info, "
        "jit_generate_compilation_hints; area cache: the candidate does not export "
        "cache_optimization_create"
    )
    jit = next(a for a in cert["areas"] if a["name"] == "jit")
    assert jit["status"] == "fail" and jit["missing_functions"] == missing["jit"]
    # the same candidate, profile core: certified
    core_only = judged_record(cases[:1], profile="core", missing={})
    assert core_only["headline"] == "CERTIFIED, profile core" and core_only["exit_code"] == 0
    junit = ET.fromstring(junit_report.render(cert).encode())
    failures = [tc for tc in junit.iter("testcase") if tc.find("failure") is not None]
    assert [tc.get("name") for tc in failures] == ["area jit: exports", "area cache: exports"]
    assert "jit_generate_compilation_hints" in failures[0].find("failure").get("message")


def test_internal_error_gives_no_verdict_exit_2():
    cases = MIXED + [
        case(
            "CORE-SYS-003", "internal_error", "2.2", message="harness: cannot arm the case watchdog"
        )
    ]
    cert = judged_record(cases)
    assert (cert["verdict"], cert["exit_code"]) == ("internal_error", 2)
    assert cert["headline"] == "NO VERDICT (internal_error), profile full"
    assert cert["reason"] == (
        "no verdict: the harness failed in 1 case(s): CORE-SYS-003: "
        "harness: cannot arm the case watchdog; this is not the "
        "candidate's fault"
    )
    assert cert["areas"][0]["status"] == "internal_error"
    # a case citing a clause SPEC does not have is the harness's fault too, never 1
    cert = judged_record([case("CORE-SYM-002", "fail", "5.99")])
    assert cert["exit_code"] == 2 and "5.99" in cert["reason"]


def test_partial_runs_never_certify():
    selection = {"areas": ["core"], "cases": ["CORE-LOAD-*"]}
    passing = judged_record(
        [case("CORE-LOAD-001", "pass", "3.1")],
        scope="partial",
        selection=selection,
        skipped={"jit": "not part of this run"},
    )
    assert (passing["verdict"], passing["exit_code"]) == ("partial", 0)
    assert passing["scope"] == "partial"
    assert passing["headline"] == (
        "PARTIAL RUN, not a certification (areas core; cases " "CORE-LOAD-*), profile full"
    )
    assert "CERTIFIED" not in json.dumps(passing)
    assert {a["name"]: a["status"] for a in passing["areas"]}["jit"] == "skipped"
    failing = judged_record(
        [case("CORE-SYM-002", "fail", "5.2")], scope="partial", selection=selection
    )
    assert (failing["verdict"], failing["exit_code"]) == ("rejected", 1)
    assert failing["headline"].startswith("PARTIAL RUN, not a certification")
    assert failing["headline"].endswith(": REJECTED, profile full")
    assert "CERTIFIED" not in markdown_report.render(passing)


def test_gate_failure_after_acceptable_cases_is_exit_3_with_advisories_first():
    gate = {"operation": "module_load", "status": "fail", "baseline_comparison": None}
    cert = judged_record([case("CORE-REF-002", "fail", "3.3")], gate_records=[gate])
    assert cert["exit_code"] == 3
    assert cert["reason"].startswith("1 advisory case(s)")
    assert cert["reason"].endswith("1 performance gate(s) failed: module_load")


def test_reports_show_areas_first_and_explain_advisories(tmp_path):
    cert = judged_record(MIXED)
    text = markdown_report.render(cert)
    assert text.startswith("# coremod certification: REJECTED, profile full")
    assert text.index("## Verdict by API area") < text.index("## Conformance cases")
    assert text.index("| core |") < text.index("| numa |")
    assert "### Advisories (4)" in text
    assert "SPEC 3.3 is a coremod rule: The document has a `reference_count` field" in text
    page = html_report.render(
        cert, history_path=str(tmp_path / "none.sqlite"), coverage_dir=str(tmp_path)
    )
    assert (
        page.index('data-check="areas-table"')
        < page.index('data-check="advisories-table"')
        < page.index('id="gates"')
    )
    assert "REJECTED, profile full" in page and "s-advisory" in page
    assert page.index('data-check="area-row:core"') < page.index('data-check="area-row:numa"')
    junit = ET.fromstring(junit_report.render(cert).encode())
    conformance = junit.findall("testsuite")[0]
    assert conformance.get("failures") == "1" and conformance.get("errors") == "1"
    advisory = next(tc for tc in conformance if tc.get("name", "").startswith("CORE-REF-002"))
    assert advisory.find("failure") is None and "advisory" in advisory.find("system-out").text
    strict = ET.fromstring(junit_report.render(judged_record(MIXED, strict_spec=True)).encode())
    assert strict.findall("testsuite")[0].get("failures") == "5"
    written = reports.write_all(cert, str(tmp_path / "out"))
    assert len(written) == 4
    record = json.loads((tmp_path / "out" / "certification.json").read_text())
    assert record["schema"] == "coremod-certification/3" and record["profile"] == "full"
    advisory = next(c for c in record["cases"] if c["id"] == "CORE-REF-002")
    assert advisory["status"] == "advisory" and advisory["outcome"] == "fail"
    assert advisory["level"] == "coremod" and advisory["why_advisory"].startswith("SPEC 3.3")


# ---- the flow of certify against a stand-in suite ------------------------------------------

# suite, Criterion test, clause (real SPEC clauses)
FAKE_CASES = [
    ("core_api", "CORE_API_001", "1.2"),
    ("core_ref", "CORE_REF_002", "3.3"),
    ("core_sym", "CORE_SYM_002", "5.2"),
    ("core_validation", "CORE_VAL_001", "3.4"),
    ("core_validation", "CORE_VAL_002", "3.4"),
    ("jit_hint", "JIT_HINT_002", "10.7"),
    ("cache_pf", "CACHE_PF_002", "11.5"),
    ("numa_place", "NUMA_PLACE_003", "12.4"),
    ("numa_release", "NUMA_REL_001", "12.9"),
    ("topo_replay", "TOPO_REPLAY_008", "13.5"),
]

FAKE_SUITE = textwrap.dedent(
    """\
    #!/usr/bin/python3
    import fnmatch, json, os, sys
    cases = CASES
    if sys.argv[1:] == ["--list"]:
        suites = sorted({c[0] for c in cases})
        for suite in suites:
            names = [c[1] for c in cases if c[0] == suite]
            print(f"{suite}: {len(names)} tests")
            for i, name in enumerate(names):
                print(("└── " if i == len(names) - 1 else "├── ") + name)
        sys.exit(0)
    patterns = None
    for arg in sys.argv[1:]:
        if arg.startswith("--filter="):
            pattern = arg[len("--filter="):]
            assert pattern.startswith("@(") and pattern.endswith(")"), pattern
            patterns = pattern[2:-1].split("|")
    with open(os.environ["FAKE_ARGS"], "w") as f:
        json.dump(sys.argv[1:], f)
    failing = set(os.environ.get("FAKE_FAIL", "").split(","))
    internal = set(os.environ.get("FAKE_INTERNAL", "").split(","))
    with open(os.environ["COREMOD_RESULTS_FILE"], "a") as out:
        for suite, name, clause in cases:
            if patterns is not None and not any(fnmatch.fnmatchcase(f"{suite}/{name}", p)
                                                for p in patterns):
                continue
            case_id = name.replace("_", "-")
            status = ("internal_error" if case_id in internal else
                      "fail" if case_id in failing else "pass")
            message = "harness: set-up failed" if status == "internal_error" else ""
            out.write(json.dumps({"schema": "coremod-case/1", "id": case_id, "suite": suite,
                                  "clause": clause, "title": "t", "status": status,
                                  "message": message, "elapsed_s": 0.01}) + "\\n")
    sys.exit(1 if failing or internal else 0)
    """
).replace("CASES", repr(FAKE_CASES))


@pytest.fixture
def fake_build(tmp_path, monkeypatch):
    build_dir = tmp_path / "build"
    (build_dir / "conformance").mkdir(parents=True)
    exe = build_dir / "conformance" / "coremod-conformance"
    exe.write_text(FAKE_SUITE)
    exe.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("FAKE_ARGS", str(tmp_path / "args.json"))
    prepared = measurement.Prepared(
        str(build_dir),
        "/cand/libx.so",
        True,
        str(tmp_path / "fx"),
        budgets_mod.load(BUDGETS),
        BUDGETS,
        str(out),
        {
            "path": "/cand/libx.so",
            "sha256": "ab" * 32,
            "size_bytes": 1,
            "is_reference": False,
            "machine": "x86_64",
            "emulated": False,
        },
    )
    return prepared, tmp_path


def exports(monkeypatch, missing=(), verdict="ok", detail=""):
    monkeypatch.setattr(
        suite,
        "probe_exports",
        lambda impl, names, **kw: (verdict, [n for n in names if n in missing], detail),
    )


def args_for(profile="full", area=None, case_globs=None, strict_spec=False):
    return requests.Selection(
        profile=profile,
        areas=tuple(area or ()),
        cases=tuple(case_globs or ()),
        strict_spec=strict_spec,
    )


def run_plan(prepared, selection, no_gates=True):
    plan = certify.plan_from(selection)
    cases, records, suite_entry, _ = certify.run_cases(prepared, plan, Silent())
    gate_records, _, note, _ = certify._run_gates(
        requests.MeasureOptions(out=prepared.out_dir),
        no_gates,
        prepared,
        plan,
        cases,
        records,
        Silent(),
    )
    cert = certification.assemble(
        candidate=prepared.candidate,
        cases=cases,
        gates=gate_records,
        measurements=[],
        gates_note=note,
        environment={},
        suite=suite_entry,
        bench=None,
        started_at="s",
        finished_at="f",
        harness_version="9",
        options={},
        artifacts={},
        scope="partial" if plan.partial else "certification",
        profile=plan.profile,
        areas=records,
        strict_spec=plan.strict_spec,
        selection=plan.selection,
    )
    return cert


def filter_arg(tmp_path):
    argv = json.loads((tmp_path / "args.json").read_text())
    return next((a for a in argv if a.startswith("--filter=")), None)


def test_profile_full_runs_only_the_documents_areas(fake_build, monkeypatch):
    prepared, tmp_path = fake_build
    exports(monkeypatch)
    cert = run_plan(prepared, args_for("full"))
    assert cert["exit_code"] == 0 and cert["headline"] == "CERTIFIED, profile full"
    ids = {c["id"] for c in cert["cases"]}
    assert "NUMA-REL-001" not in ids and "TOPO-REPLAY-008" not in ids and "NUMA-PLACE-003" in ids
    assert filter_arg(tmp_path) == (
        "--filter=@(cache_pf/*|core_api/*|core_ref/*|core_sym/*|"
        "core_validation/*|jit_hint/*|numa_place/*)"
    )
    assert cert["suite"]["listed_cases"] == 8 and cert["suite"]["all_listed_cases"] == 10
    coremod = run_plan(prepared, args_for("coremod"))
    assert len(coremod["cases"]) == 10 and filter_arg(tmp_path) is None
    assert [a["name"] for a in coremod["areas"]] == list(areas.NAMES)


def test_missing_functions_skip_the_areas_cases(fake_build, monkeypatch):
    prepared, tmp_path = fake_build
    exports(monkeypatch, missing=("jit_generate_compilation_hints", "numa_apply_placement"))
    cert = run_plan(prepared, args_for("coremod"))
    assert cert["exit_code"] == 1
    assert cert["reason"].startswith(
        "area jit: the candidate does not export "
        "jit_generate_compilation_hints; area numa-ext: the "
        "candidate does not export numa_apply_placement"
    )
    ids = {c["id"] for c in cert["cases"]}
    assert "JIT-HINT-002" not in ids and "NUMA-REL-001" not in ids
    assert "TOPO-REPLAY-008" not in ids  # topology needs jit and numa-ext
    status = {a["name"]: a["status"] for a in cert["areas"]}
    assert status == {
        "core": "pass",
        "jit": "fail",
        "cache": "pass",
        "numa": "pass",
        "numa-ext": "fail",
        "debugger": "pass",
        "debugger-ext": "pass",
        "topology": "skipped",
    }
    # profile core: what the candidate lacks is not asked for
    core = run_plan(prepared, args_for("core"))
    assert core["exit_code"] == 0 and core["headline"] == "CERTIFIED, profile core"
    assert {c["area"] for c in core["cases"]} == {"core"}


def test_an_unloadable_candidate_fails_every_area_without_running_the_suite(
    fake_build, monkeypatch
):
    prepared, tmp_path = fake_build
    exports(monkeypatch, verdict="unloadable", detail="invalid ELF header")
    cert = run_plan(prepared, args_for("full"))
    assert cert["exit_code"] == 1 and not (tmp_path / "args.json").exists()
    assert [c["id"] for c in cert["cases"]] == ["CANDIDATE-LOAD"]
    assert cert["cases"][0]["status"] == "fail"
    assert all(a["status"] == "fail" for a in cert["areas"])
    assert "invalid ELF header" in cert["reason"]


def test_area_and_case_selections_are_partial_runs(fake_build, monkeypatch):
    prepared, tmp_path = fake_build
    exports(monkeypatch)
    monkeypatch.setenv("FAKE_FAIL", "CORE-VAL-002")
    cert = run_plan(prepared, args_for("full", area=["core"], case_globs=["CORE-VAL-*"]))
    assert filter_arg(tmp_path) == "--filter=@(core_validation/*)"
    assert [c["id"] for c in cert["cases"]] == ["CORE-VAL-001", "CORE-VAL-002"]
    assert cert["scope"] == "partial" and cert["exit_code"] == 1
    assert cert["headline"].startswith(
        "PARTIAL RUN, not a certification (areas core; cases " "CORE-VAL-*)"
    )
    assert {a["name"]: a["status"] for a in cert["areas"]} == {
        "core": "fail",
        "jit": "skipped",
        "cache": "skipped",
        "numa": "skipped",
        "debugger": "skipped",
    }
    monkeypatch.setenv("FAKE_FAIL", "")
    one = run_plan(prepared, args_for("full", case_globs=["CORE-VAL-001", "JIT-*"]), no_gates=False)
    assert filter_arg(tmp_path) == "--filter=@(core_validation/CORE_VAL_001|jit_hint/*)"
    assert (one["verdict"], one["exit_code"]) == ("partial", 0)
    assert {a["name"]: a["status"] for a in one["areas"]} == {
        "core": "pass",
        "jit": "pass",
        "cache": "skipped",
        "numa": "skipped",
        "debugger": "skipped",
    }
    assert all(g["status"] == "skipped" and "--case" in g["message"] for g in one["gates"])
    with pytest.raises(HarnessError, match="matches no case"):
        run_plan(prepared, args_for("full", case_globs=["NOPE-*"]))
    with pytest.raises(HarnessError, match="not an area of profile core"):
        run_plan(prepared, args_for("core", area=["jit"]))


def test_internal_error_from_the_suite_is_exit_2(fake_build, monkeypatch):
    prepared, tmp_path = fake_build
    exports(monkeypatch)
    monkeypatch.setenv("FAKE_INTERNAL", "CORE-API-001")
    monkeypatch.setenv("FAKE_FAIL", "CORE-SYM-002")
    cert = run_plan(prepared, args_for("full"), no_gates=False)
    assert (cert["verdict"], cert["exit_code"]) == ("internal_error", 2)
    assert cert["reason"].startswith(
        "no verdict: the harness failed in 1 case(s): " "CORE-API-001: harness: set-up failed"
    )
    assert all(g["status"] == "skipped" and "internal_error" in g["message"] for g in cert["gates"])


def test_gates_run_for_the_areas_that_passed(fake_build, monkeypatch):
    prepared, tmp_path = fake_build
    exports(monkeypatch)
    monkeypatch.setenv("FAKE_FAIL", "CORE-SYM-002,JIT-HINT-002")  # core rejects, jit advisory
    measured_budgets = []

    def fake_measure(prep, options, progress, out_dir=None, against=None):
        measured_budgets.extend(b.operation for b in prep.budgets)
        records = [
            gates.evaluate(b, {"name": b.operation, "unit": b.unit, "samples": [b.limit / 2] * 400})
            for b in prep.budgets
        ]
        return measurement.Measured(records, {"operations": []}, None, {}, [], {"results": "x"})

    monkeypatch.setattr(measurement, "measure", fake_measure)
    cert = run_plan(prepared, args_for("full"), no_gates=False)
    assert cert["exit_code"] == 1
    assert measured_budgets == [
        "jit_optimization_create",
        "jit_get_apple_silicon_info",
        "jit_generate_compilation_hints",
        "cache_generate_prefetch_pattern",
        "numa_place_module",
        "debugger_set_breakpoint_software",
        "debugger_set_breakpoint_hardware",
        "debugger_breakpoint_hit_software",
        "debugger_breakpoint_hit_hardware",
    ]
    by_op = {g["operation"]: g for g in cert["gates"]}
    assert by_op["numa_place_module"]["status"] == "pass"
    assert by_op["module_load"]["status"] == "skipped"
    assert by_op["module_load"]["message"].startswith("not run: area core failed")
    assert [g["operation"] for g in cert["gates"]] == [b.operation for b in prepared.budgets]
    assert cert["reason"].startswith(
        "area core: 1 of 5 case(s) rejected (1 fail): CORE-SYM-002; " "1 advisory case(s)"
    )
    assert "9 performance gate(s) passed, 6 not judged" in cert["reason"]
    assert {a["name"]: a["gates_run"] for a in cert["areas"]} == {
        "core": False,
        "jit": True,
        "cache": True,
        "numa": True,
        "debugger": True,
    }


# ---- the export probe on real shared objects -----------------------------------------------


def test_probe_exports_finds_what_a_library_lacks(tmp_path):
    import subprocess

    source = tmp_path / "lib.c"
    source.write_text(
        "int module_load(void) { return 0; }\nint jit_optimization_create(void) " "{ return 0; }\n"
    )
    lib = tmp_path / "libpart.so"
    subprocess.run(["gcc", "-shared", "-fPIC", str(source), "-o", str(lib)], check=True)
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else None
    kw = {"python": python} if python else {}
    verdict, missing, _ = suite.probe_exports(
        str(lib),
        ["module_load", "module_unload", "jit_optimization_create", "numa_place_module"],
        **kw,
    )
    assert (verdict, missing) == ("ok", ["module_unload", "numa_place_module"])
    text = tmp_path / "text.so"
    text.write_text("not a library\n")
    verdict, missing, detail = suite.probe_exports(str(text), ["module_load"], **kw)
    assert verdict == "unloadable" and missing == [] and detail


def test_criterion_filter_pattern():
    listed = [("a", "T1"), ("a", "T2"), ("b", "T3")]
    assert suite.filter_pattern(listed, listed) is None
    assert suite.filter_pattern(listed, [("a", "T1"), ("a", "T2")]) == "@(a/*)"
    assert suite.filter_pattern(listed, [("a", "T2"), ("b", "T3")]) == "@(a/T2|b/*)"


def test_suite_may_report_internal_error_but_not_advisory():
    line = {
        "schema": "coremod-case/1",
        "id": "CORE-X-001",
        "suite": "s",
        "clause": "1.1",
        "title": "t",
        "status": "internal_error",
        "message": "harness: x",
    }
    assert case_results.parse_line(json.dumps(line), "here")["status"] == "internal_error"
    with pytest.raises(HarnessError, match="unknown status"):
        case_results.parse_line(json.dumps(dict(line, status="advisory")), "here")
