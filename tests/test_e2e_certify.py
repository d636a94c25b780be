"""`coremod certify` end to end: the reference is certified with well-formed reports, under the
profiles full (with gates), core and coremod; every broken implementation is caught by the cases
that should catch it (rejected, or, where those cases check a coremod-level clause, shown as
advisories and rejected with --strict-spec); a missing function fails its area in one line;
partial runs; exit codes 2 and 3."""
import json
import os
import re
import subprocess
import tomllib
import warnings
import xml.etree.ElementTree as ET

import pytest

from conftest import ALT_MANIFEST, BROKEN_MANIFEST, REPO_ROOT, broken_manifest, run_coremod
from coremodlib.judge import areas
from coremodlib.records import case_results, operations, spec_levels
from coremodlib import paths
from coremodlib.run import suite

pytestmark = pytest.mark.e2e

REPORTS = ("certification.json", "summary.md", "junit.xml")


def spec_clauses():
    with open(os.path.join(REPO_ROOT, "conformance", "SPEC.md"), encoding="utf-8") as f:
        return set(re.findall(r"^- \*\*(\d+\.\d+)\b", f.read(), re.M))


@pytest.fixture(scope="session")
def reference_run(main_build, tmp_path_factory):
    """`coremod certify` on the reference, gates included, as the README's first command does.

    The time gates judge a p99 on a shared 2-core VM: a burst of load from other processes can
    push 1 % of the samples past a budget that the median clears 45 times over. A gate failure
    (exit 3) is therefore measured once more, and reported as a warning; two in a row fail."""
    out = tmp_path_factory.mktemp("certify-reference")
    result = run_coremod("certify", "--build-dir", main_build, "--out", str(out))
    if result.returncode == 3:
        warnings.warn(
            "certify on the reference failed a gate once and was run again:\n" + result.stdout
        )
        result = run_coremod("certify", "--build-dir", main_build, "--out", str(out))
    return result, out


def load_cert(out):
    with open(os.path.join(out, "certification.json"), encoding="utf-8") as f:
        return json.load(f)


def test_reference_is_certified(reference_run):
    result, out = reference_run
    assert result.returncode == 0, result.stdout + result.stderr
    cert = load_cert(out)
    assert cert["verdict"] == "certified" and cert["exit_code"] == 0
    assert cert["candidate"]["is_reference"]
    assert "CERTIFIED, profile full" in result.stdout.splitlines()[0]
    assert cert["profile"] == "full" and cert["scope"] == "certification"
    assert [(a["name"], a["status"]) for a in cert["areas"]] == [
        ("core", "pass"),
        ("jit", "pass"),
        ("cache", "pass"),
        ("numa", "pass"),
        ("debugger", "pass"),
    ]
    assert all(a["gates_run"] for a in cert["areas"])
    # the document's areas only: no extension's case ran
    assert {c["area"] for c in cert["cases"]} == {"core", "jit", "cache", "numa", "debugger"}
    assert not any(
        c["suite"].startswith(("topo_", "numa_apply", "numa_release") + areas.DEBUGGER_EXT_SUITES)
        for c in cert["cases"]
    )


def test_reference_passes_every_case(reference_run):
    """The suite against the reference: every case passes or is not supported."""
    _, out = reference_run
    cases = load_cert(out)["cases"]
    assert len(cases) >= 30
    bad = [
        (c["id"], c["status"], c["message"])
        for c in cases
        if c["status"] not in ("pass", "not_supported")
    ]
    assert not bad


def test_every_case_has_a_stable_id_title_and_real_clause(reference_run):
    _, out = reference_run
    cases = load_cert(out)["cases"]
    clauses = spec_clauses()
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    for c in cases:
        assert re.fullmatch(r"[A-Z]+-[A-Z]+-\d{3}", c["id"]), c["id"]
        assert c["title"]
        assert c["clause"] in clauses, f"{c['id']} cites unknown SPEC clause {c['clause']}"
        assert c["level"] in ("document", "coremod"), c
        assert c["outcome"] == c["status"] and c["why_advisory"] is None, c


def test_reference_gates_are_measured(reference_run):
    _, out = reference_run
    cert = load_cert(out)
    assert cert["gates"], "no gates"
    for gate in cert["gates"]:
        # inconclusive: the reference's p99 interval reached its budget on a loaded machine
        # (reported, not failed; docs/gates.md)
        assert gate["status"] in ("pass", "inconclusive"), gate
        if gate["status"] == "inconclusive":
            warnings.warn(f"reference gate inconclusive: {gate['message']}")
        assert gate["samples"] >= 1
        for key in ("p50", "p90", "p99", "max", "mad"):
            assert isinstance(gate[key], (int, float)), (gate["operation"], key)
        assert gate["p50"] <= gate["p90"] <= gate["p99"] <= gate["max"]
    # the first (cold) call beside the steady state for the JIT, Cache and NUMA gates (P.7-P.11)
    cold = {g["operation"]: g.get("cold") for g in cert["gates"]}
    assert len(operations.COLD_APART) == 5
    for operation in operations.COLD_APART:
        assert cold[operation] and cold[operation]["samples"] >= 10, operation
        assert cold[operation]["p50"] > 0 and cold[operation]["unit"] == next(
            g["unit"] for g in cert["gates"] if g["operation"] == operation
        )
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "first call p50 / p99" in summary
    with_baseline = [g for g in cert["gates"] if g["raw_baseline"]]
    assert with_baseline, "no gate reports a ratio to the raw loader"
    assert all(g["raw_ratio"] > 0 for g in with_baseline)


def test_reference_reports_are_well_formed(reference_run):
    _, out = reference_run
    for name in REPORTS:
        assert os.path.getsize(os.path.join(out, name)) > 0, name
    cert = load_cert(out)
    assert cert["schema"] == "coremod-certification/3"
    for key in (
        "verdict",
        "candidate",
        "cases",
        "gates",
        "environment",
        "counts",
        "started_at",
        "finished_at",
        "harness_version",
    ):
        assert key in cert, key
    assert re.fullmatch(r"[0-9a-f]{64}", cert["candidate"]["sha256"])
    for key in ("cpu_model", "cores", "kernel", "compiler", "commit"):
        assert cert["environment"][key] not in (None, ""), key
    assert cert["counts"]["total"] == len(cert["cases"])

    root = ET.parse(os.path.join(out, "junit.xml")).getroot()
    conformance, performance = root.findall("testsuite")
    assert len(conformance.findall("testcase")) == len(cert["cases"])
    assert len(performance.findall("testcase")) == len(cert["gates"])
    assert conformance.get("failures") == "0" and conformance.get("errors") == "0"
    skipped = sum(1 for c in cert["cases"] if c["status"] == "not_supported")
    assert conformance.get("skipped") == str(skipped)

    with open(os.path.join(out, "summary.md"), encoding="utf-8") as f:
        summary = f.read()
    assert summary.startswith("# coremod certification: CERTIFIED, profile full")
    assert "## Verdict by API area" in summary
    assert all(c["id"] in summary for c in cert["cases"])


def test_every_listed_suite_belongs_to_exactly_one_area(main_build):
    listed = suite.list_tests(
        paths.suite_executable(main_build),
        suite.candidate_env(paths.reference_impl(main_build), paths.fixtures_dir(main_build)),
    )
    suites = sorted({s for s, _ in listed})
    assert len(suites) >= 20
    for name in suites:
        owners = [a.name for a in areas.suite_areas(name)]
        assert len(owners) == 1, f"suite {name} belongs to {owners or 'no area'}"
    # every area of the table has cases (topology too: the recorded machines)
    assert {areas.area_of_suite(s) for s in suites} == set(areas.NAMES)


@pytest.mark.parametrize("profile", ["core", "coremod"])
def test_reference_is_certified_under_other_profiles(main_build, tmp_path, profile):
    result = run_coremod(
        "certify",
        "--profile",
        profile,
        "--no-gates",
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"CERTIFIED, profile {profile}" in result.stdout.splitlines()[0]
    cert = load_cert(tmp_path)
    assert cert["profile"] == profile
    assert [a["name"] for a in cert["areas"]] == list(areas.PROFILES[profile])
    assert {c["area"] for c in cert["cases"]} == set(areas.PROFILES[profile])
    assert all(a["status"] == "pass" for a in cert["areas"]), cert["areas"]
    assert cert["suite"]["listed_cases"] == len(cert["cases"])


def test_a_core_only_candidate_is_certified_for_the_core_profile_only(main_build, tmp_path):
    """fixtures/profile-impls/libcore_only.so: the reference's core alone, no JIT, Cache or NUMA
    function. --profile core: certified; --profile full: rejected with one line per missing area,
    and the cases of those areas are not run."""
    library = os.path.join(paths.profile_impls_dir(main_build), "libcore_only.so")
    result = run_coremod(
        "certify",
        "--impl",
        library,
        "--profile",
        "core",
        "--no-gates",
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path / "core"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CERTIFIED, profile core" in result.stdout.splitlines()[0]
    cert = load_cert(tmp_path / "core")
    assert [(a["name"], a["status"]) for a in cert["areas"]] == [("core", "pass")]
    result = run_coremod(
        "certify",
        "--impl",
        library,
        "--profile",
        "full",
        "--no-gates",
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path / "full"),
    )
    assert result.returncode == 1, result.stdout + result.stderr
    cert = load_cert(tmp_path / "full")
    assert cert["headline"] == "REJECTED, profile full"
    expected = "; ".join(
        f"area {a.name}: the candidate does not export {', '.join(a.functions)}"
        for a in areas.profile_areas("full")
        if a.name != "core"
    )
    assert cert["reason"].startswith(expected), cert["reason"]
    assert {c["area"] for c in cert["cases"]} == {"core"}
    assert [a["status"] for a in cert["areas"]] == ["pass", "fail", "fail", "fail", "fail"]
    assert expected in result.stdout.splitlines()[0]


def alt_manifest():
    with open(ALT_MANIFEST, "rb") as f:
        return sorted(tomllib.load(f).items())


@pytest.mark.parametrize("name, entry", alt_manifest(), ids=[n for n, _ in alt_manifest()])
def test_an_implementation_differing_only_in_coremod_choices_is_certified(
    main_build, tmp_path, name, entry
):
    """fixtures/alt-impls: the reference with other choices where the document is silent. Under
    --profile core it is certified, with exactly the expected advisories (each of a coremod-level
    clause); --strict-spec rejects it for them."""
    library = os.path.join(paths.alt_impls_dir(main_build), entry["library"])
    levels = spec_levels.load()
    result = run_coremod(
        "certify",
        "--impl",
        library,
        "--profile",
        "core",
        "--no-gates",
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path / "lenient"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith("coremod certify: CERTIFIED, profile core")
    cert = load_cert(tmp_path / "lenient")
    advisory = sorted(c["id"] for c in cert["cases"] if c["status"] == "advisory")
    assert advisory == sorted(entry["expected_advisory"]), name
    for case in cert["cases"]:
        assert case["area"] == "core"
        if case["status"] == "advisory":
            assert levels[case["clause"]].level == "coremod", case["id"]
            assert case["why_advisory"] and case["outcome"] in case_results.REJECTING
    not_supported = sorted(c["id"] for c in cert["cases"] if c["status"] == "not_supported")
    assert not_supported == sorted(entry.get("expected_not_supported", [])), name
    # The advisory cases again, alone (the run above gave every other case's result, which
    # --strict-spec does not change): rejected for them.
    result = run_coremod(
        "certify",
        "--impl",
        library,
        "--profile",
        "core",
        "--no-gates",
        "--strict-spec",
        *[arg for case_id in entry["expected_advisory"] for arg in ("--case", case_id)],
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path / "strict"),
    )
    assert result.returncode == 1, result.stdout + result.stderr
    strict = load_cert(tmp_path / "strict")
    assert "--strict-spec" in strict["reason"]
    assert sorted(c["id"] for c in strict["cases"]) == sorted(entry["expected_advisory"])


def test_partial_runs_of_the_reference(main_build, tmp_path):
    out = tmp_path / "case"
    result = run_coremod(
        "certify",
        "--case",
        "CORE-VAL-00[12]",
        "--case",
        "JIT-INFO-*",
        "--build-dir",
        main_build,
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PARTIAL RUN, not a certification" in result.stdout.splitlines()[0]
    assert "CERTIFIED" not in result.stdout
    cert = load_cert(out)
    assert cert["scope"] == "partial" and cert["verdict"] == "partial"
    assert [c["id"] for c in cert["cases"]] == ["CORE-VAL-001", "CORE-VAL-002", "JIT-INFO-001"]
    assert all(g["status"] == "skipped" for g in cert["gates"])
    assert (out / "summary.md").read_text().startswith("# coremod partial run: PARTIAL RUN")
    out = tmp_path / "area"
    result = run_coremod(
        "certify", "--area", "cache", "--no-gates", "--build-dir", main_build, "--out", str(out)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cert = load_cert(out)
    assert {c["area"] for c in cert["cases"]} == {"cache"}
    assert {a["name"]: a["status"] for a in cert["areas"]} == {
        "core": "skipped",
        "jit": "skipped",
        "cache": "pass",
        "numa": "skipped",
        "debugger": "skipped",
    }


def test_manifest_lists_the_broken_implementations(main_build):
    entries = broken_manifest()
    assert os.path.exists(BROKEN_MANIFEST)
    assert len(entries) >= 8
    levels = spec_levels.load()
    for name, entry in entries:
        assert entry.get("caught_by") or entry.get("missing_functions"), name
        assert os.path.isfile(
            os.path.join(paths.broken_impls_dir(main_build), entry["library"])
        ), name
        assert entry.get("profile", areas.DEFAULT_PROFILE) in areas.PROFILES, name
        assert entry["verdict"] in ("rejected", "advisories"), name
        assert entry["level"] in ("document", "coremod"), name
        # a defect caught only at coremod level is shown, not rejected (unless --strict-spec)
        if entry["level"] == "document":
            assert entry["verdict"] == "rejected", name
        assert levels[entry["clause"]].level is not None, name


def _catching(cert, name, entry):
    """The catching cases' records, each checked against the manifest."""
    statuses = {c["id"]: c for c in cert["cases"]}
    expected = set(entry.get("expected_status") or case_results.REJECTING)
    caught = []
    for case_id in entry.get("caught_by") or []:
        if entry.get("missing_functions"):
            continue  # its area's cases are not run: the export probe caught it first
        assert case_id in statuses, f"{name}: case {case_id} was not run"
        got = statuses[case_id]
        assert got["outcome"] in expected, (
            f"{name}: {case_id} ended {got['outcome']} ({got['message']}), expected one of "
            f"{sorted(expected)}"
        )
        assert got["level"] == entry["level"], (
            f"{name}: {case_id} cites SPEC {got['clause']} ({got['level']}), the manifest says "
            f"{entry['level']}"
        )
        want = "advisory" if entry["level"] == "coremod" else got["outcome"]
        assert got["status"] == want, (name, case_id, got["status"])
        caught.append(got)
    return caught


@pytest.mark.parametrize("name, entry", broken_manifest(), ids=[n for n, _ in broken_manifest()])
def test_broken_implementation_is_caught(main_build, tmp_path, name, entry):
    """Without --strict-spec: rejected (exit 1), or, for a defect only coremod-level cases catch,
    certified with those cases shown as advisories (exit 0). Then the catching cases again, with
    --strict-spec (a partial run of them): rejected."""
    library = os.path.join(paths.broken_impls_dir(main_build), entry["library"])
    profile = entry.get("profile", areas.DEFAULT_PROFILE)
    result = run_coremod(
        "certify",
        "--impl",
        library,
        "--no-gates",
        "--profile",
        profile,
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path / "default"),
    )
    want = 1 if entry["verdict"] == "rejected" else 0
    assert result.returncode == want, (
        f"{name}: exit {result.returncode}, manifest verdict {entry['verdict']}\n"
        f"{result.stdout}{result.stderr}"
    )
    cert = load_cert(tmp_path / "default")
    assert cert["verdict"] == ("rejected" if want else "certified")
    assert not cert["candidate"]["is_reference"] and cert["profile"] == profile
    caught = _catching(cert, name, entry)
    if entry.get("missing_functions"):
        failed = [a for a in cert["areas"] if a["missing_functions"]]
        assert [f for a in failed for f in a["missing_functions"]] == entry["missing_functions"]
        area = failed[0]["name"]
        assert cert["reason"].startswith(
            f"area {area}: the candidate does not export {', '.join(entry['missing_functions'])}"
        )
        assert not any(c["area"] == area for c in cert["cases"])
    for got in caught:
        if got["status"] == "advisory":
            assert got["why_advisory"].startswith(f"SPEC {got['clause']} is a coremod rule: ")
            assert got["id"] in (tmp_path / "default" / "summary.md").read_text()
    # the runner kept going after the catching case: every selected case has a result
    assert cert["suite"]["listed_cases"] == len(cert["cases"]) or entry.get("missing_functions")

    strict_args = [arg for case_id in (entry.get("caught_by") or []) for arg in ("--case", case_id)]
    if entry.get("missing_functions"):
        strict_args = ["--area", "core"]
    result = run_coremod(
        "certify",
        "--impl",
        library,
        "--no-gates",
        "--profile",
        profile,
        "--strict-spec",
        *strict_args,
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path / "strict"),
    )
    assert result.returncode == 1, (
        f"{name} with --strict-spec: exit {result.returncode}\n" f"{result.stdout}{result.stderr}"
    )
    strict = load_cert(tmp_path / "strict")
    assert strict["strict_spec"] and strict["verdict"] == "rejected"
    if entry["level"] == "coremod":
        assert "rejected by --strict-spec" in strict["reason"]


def test_nonexistent_candidate_is_exit_2(tmp_path):
    result = run_coremod("certify", "--impl", "/nonexistent", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "/nonexistent" in result.stderr
    assert not any(os.path.exists(os.path.join(tmp_path, n)) for n in REPORTS)


def test_budget_violation_is_exit_3(main_build, tmp_path):
    """A correct candidate judged by a budgets table with an impossible budget (a symbol lookup in
    under a picosecond) is rejected with exit 3; the project's own table is not touched."""
    budgets = tmp_path / "impossible.toml"
    budgets.write_text(
        '[module_get_symbol]\noperation = "module_get_symbol"\n'
        'budget = 0.001\nunit = "ns"\nstatistic = "p99"\ncomparison = "<"\n'
        'clause = "P.4"\n'
    )
    out = tmp_path / "out"
    result = run_coremod(
        "certify",
        "--build-dir",
        main_build,
        "--out",
        str(out),
        "--budgets",
        str(budgets),
        "--quick",
    )
    assert result.returncode == 3, result.stdout + result.stderr
    cert = load_cert(out)
    assert cert["verdict"] == "rejected"
    assert [g["status"] for g in cert["gates"]] == ["fail"]
    assert all(c["status"] not in case_results.REJECTING for c in cert["cases"])
    assert cert["reason"].endswith("1 performance gate(s) failed: module_get_symbol")


@pytest.mark.parametrize("kind", ["crashes_on_load", "not_a_library"])
def test_candidate_that_cannot_even_load_is_rejected_not_an_error(main_build, tmp_path, kind):
    """A file that exists but is no usable library is a verdict on the candidate (exit 1, every
    case crashed or failed), not a harness failure (exit 2)."""
    if kind == "crashes_on_load":
        source = tmp_path / "crash.c"
        source.write_text(
            "#include <signal.h>\n"
            "__attribute__((constructor)) static void c(void) { raise(SIGSEGV); }\n"
        )
        candidate = tmp_path / "libcrash.so"
        subprocess.run(["cc", "-shared", "-fPIC", str(source), "-o", str(candidate)], check=True)
        expected = "crash"
    else:
        candidate = tmp_path / "text.so"
        candidate.write_text("not a library\n")
        expected = "fail"
    out = tmp_path / "out"
    result = run_coremod(
        "certify",
        "--impl",
        str(candidate),
        "--no-gates",
        "--build-dir",
        main_build,
        "--out",
        str(out),
    )
    assert result.returncode == 1, result.stdout + result.stderr
    cert = load_cert(out)
    assert {c["status"] for c in cert["cases"]} == {expected}
    # one record says it (the candidate cannot be used at all), and every area fails by it
    assert [c["id"] for c in cert["cases"]] == ["CANDIDATE-LOAD"]
    assert all(a["status"] == "fail" for a in cert["areas"])
