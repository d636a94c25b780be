"""`coremod certify` end to end: the reference is certified with well-formed reports; every broken
implementation is rejected by the cases that should catch it; exit codes 2 and 3."""
import json
import os
import re
import subprocess
import warnings
import xml.etree.ElementTree as ET

import pytest

from conftest import BROKEN_MANIFEST, REPO_ROOT, broken_manifest, run_coremod
from coremodlib import case_results, paths

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
        warnings.warn("certify on the reference failed a gate once and was run again:\n"
                      + result.stdout)
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
    assert "CERTIFIED" in result.stdout


def test_reference_passes_every_case(reference_run):
    """The suite against the reference: every case passes or is not supported."""
    _, out = reference_run
    cases = load_cert(out)["cases"]
    assert len(cases) >= 30
    bad = [(c["id"], c["status"], c["message"]) for c in cases
           if c["status"] not in ("pass", "not_supported")]
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
    # the first (cold) call beside the steady state for the JIT, Cache and NUMA gates (issue 3)
    cold = {g["operation"]: g.get("cold") for g in cert["gates"]}
    for operation in ("jit_optimization_create", "jit_get_apple_silicon_info",
                      "jit_generate_compilation_hints", "cache_generate_prefetch_pattern",
                      "numa_place_module"):
        assert cold[operation] and cold[operation]["samples"] >= 10, operation
        assert cold[operation]["p50"] > 0 and cold[operation]["unit"] == \
            next(g["unit"] for g in cert["gates"] if g["operation"] == operation)
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
    assert cert["schema"] == "coremod-certification/2"
    for key in ("verdict", "candidate", "cases", "gates", "environment", "counts",
                "started_at", "finished_at", "harness_version"):
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
    assert summary.startswith("# coremod certification: CERTIFIED")
    assert all(c["id"] in summary for c in cert["cases"])


def test_manifest_lists_the_broken_implementations(main_build):
    entries = broken_manifest()
    assert os.path.exists(BROKEN_MANIFEST)
    assert len(entries) >= 8
    for name, entry in entries:
        assert entry.get("caught_by"), name
        assert os.path.isfile(os.path.join(paths.broken_impls_dir(main_build),
                                           entry["library"])), name


@pytest.mark.parametrize("name, entry", broken_manifest(), ids=[n for n, _ in broken_manifest()])
def test_broken_implementation_is_rejected(main_build, tmp_path, name, entry):
    library = os.path.join(paths.broken_impls_dir(main_build), entry["library"])
    result = run_coremod("certify", "--impl", library, "--no-gates", "--build-dir", main_build,
                         "--out", str(tmp_path))
    assert result.returncode == 1, (
        f"{name}: exit {result.returncode}\n{result.stdout}{result.stderr}")
    cert = load_cert(tmp_path)
    assert cert["verdict"] == "rejected" and not cert["candidate"]["is_reference"]
    statuses = {c["id"]: c for c in cert["cases"]}
    expected = set(entry.get("expected_status") or case_results.REJECTING)
    for case_id in entry["caught_by"]:
        assert case_id in statuses, f"{name}: case {case_id} was not run"
        got = statuses[case_id]
        assert got["status"] in expected, (
            f"{name}: {case_id} ended {got['status']} ({got['message']}), expected one of "
            f"{sorted(expected)}")
    # the runner kept going after the catching case: every listed case has a result
    assert cert["suite"]["listed_cases"] == len(cert["cases"])


def test_nonexistent_candidate_is_exit_2(tmp_path):
    result = run_coremod("certify", "--impl", "/nonexistent", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "/nonexistent" in result.stderr
    assert not any(os.path.exists(os.path.join(tmp_path, n)) for n in REPORTS)


def test_budget_violation_is_exit_3(main_build, tmp_path):
    """A correct candidate judged by a budgets table with an impossible budget (a symbol lookup in
    under a picosecond) is rejected with exit 3; the project's own table is not touched."""
    budgets = tmp_path / "impossible.toml"
    budgets.write_text('[module_get_symbol]\noperation = "module_get_symbol"\n'
                       'budget = 0.001\nunit = "ns"\nstatistic = "p99"\ncomparison = "<"\n'
                       'clause = "P.4"\n')
    out = tmp_path / "out"
    result = run_coremod("certify", "--build-dir", main_build, "--out", str(out),
                         "--budgets", str(budgets), "--quick")
    assert result.returncode == 3, result.stdout + result.stderr
    cert = load_cert(out)
    assert cert["verdict"] == "rejected"
    assert [g["status"] for g in cert["gates"]] == ["fail"]
    assert all(c["status"] not in case_results.REJECTING for c in cert["cases"])


@pytest.mark.parametrize("kind", ["crashes_on_load", "not_a_library"])
def test_candidate_that_cannot_even_load_is_rejected_not_an_error(main_build, tmp_path, kind):
    """A file that exists but is no usable library is a verdict on the candidate (exit 1, every
    case crashed or failed), not a harness failure (exit 2)."""
    if kind == "crashes_on_load":
        source = tmp_path / "crash.c"
        source.write_text("#include <signal.h>\n"
                          "__attribute__((constructor)) static void c(void) { raise(SIGSEGV); }\n")
        candidate = tmp_path / "libcrash.so"
        subprocess.run(["cc", "-shared", "-fPIC", str(source), "-o", str(candidate)], check=True)
        expected = "crash"
    else:
        candidate = tmp_path / "text.so"
        candidate.write_text("not a library\n")
        expected = "fail"
    out = tmp_path / "out"
    result = run_coremod("certify", "--impl", str(candidate), "--no-gates", "--build-dir",
                         main_build, "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    cert = load_cert(out)
    assert {c["status"] for c in cert["cases"]} == {expected}
