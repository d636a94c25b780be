"""Verdicts (coremodlib.judge.certification) and the three report writers (coremod_reports), on a
synthetic certification record."""
import json
import xml.etree.ElementTree as ET

import pytest

from coremodlib import report as reports
from coremodlib.report import junit_report, markdown_report
from coremodlib.records import budgets
from coremodlib.judge import certification
from coremodlib.machine import candidate
from coremodlib.judge import gates

BUDGET = budgets.make(
    "module_load",
    "p99",
    "<",
    1.5,
    "ms",
    clause="P.2",
    document="Core Module System API",
    document_section="module_load",
    document_line=191,
    document_quote="**Performance:** <1.5ms load time",
)


def case(case_id, status, message="", suite="core_load", clause="3.1"):
    return {
        "id": case_id,
        "suite": suite,
        "clause": clause,
        "title": f"title {case_id}",
        "status": status,
        "message": message,
        "elapsed_s": 0.01,
    }


def gate(status):
    samples = [1_000_000] * 400 if status == "pass" else [2_000_000] * 400
    record = gates.evaluate(
        BUDGET,
        {
            "name": "module_load",
            "unit": "ns",
            "samples": samples,
            "raw_baseline": {"name": "dlopen", "samples": [500_000]},
        },
    )
    assert record["status"] == status
    return record


def make_cert(tmp_path, cases, gate_records, gates_note=""):
    lib = tmp_path / "libcand.so"
    lib.write_bytes(b"\x7fELF candidate bytes")
    return certification.assemble(
        candidate=candidate.candidate_record(str(lib), is_reference=False),
        cases=cases,
        gates=gate_records,
        measurements=[],
        gates_note=gates_note,
        environment={
            "cpu_model": "Test CPU",
            "cores": 2,
            "kernel": "Linux 6",
            "compiler": "gcc",
            "commit": "abc123",
            "commit_dirty": False,
        },
        suite={"executable": "x", "exit_status": 1, "elapsed_s": 1.5, "listed_cases": len(cases)},
        bench=None,
        started_at="2024-01-01T00:00:00+00:00",
        finished_at="2024-01-01T00:01:00+00:00",
        harness_version="9.9.9",
        options={},
        artifacts={},
    )


# ---- verdicts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses, gate_statuses, verdict, code",
    [
        (["pass", "not_supported", "quality_warning"], ["pass"], "certified", 0),
        (["pass"], [], "certified", 0),
        (["pass", "fail"], ["pass"], "rejected", 1),
        (["crash"], [], "rejected", 1),
        (["timeout"], ["fail"], "rejected", 1),  # a failed case outranks a failed gate
        (["pass"], ["pass", "fail"], "rejected", 3),
    ],
)
def test_verdict_and_exit_code(statuses, gate_statuses, verdict, code):
    cases = [case(f"C-{i}", s) for i, s in enumerate(statuses)]
    gate_records = [{"status": s, "operation": f"op{i}"} for i, s in enumerate(gate_statuses)]
    got = certification.decide(cases, gate_records)
    assert got[:2] == (verdict, code)


def test_reason_names_the_failing_cases():
    _, _, reason = certification.decide(
        [case("CORE-A-001", "fail"), case("CORE-B-002", "crash")], []
    )
    assert reason.startswith(
        "area core: 2 of 2 case(s) rejected (1 fail, 1 crash): " "CORE-A-001, CORE-B-002"
    )


def test_record_has_every_documented_key(tmp_path):
    cert = make_cert(tmp_path, [case("C-1", "pass")], [gate("pass")])
    for key in (
        "schema",
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
        assert key in cert
    assert cert["schema"] == "coremod-certification/3"
    assert len(cert["candidate"]["sha256"]) == 64
    for key in (
        "operation",
        "budget",
        "p50",
        "p90",
        "p99",
        "max",
        "mad",
        "unit",
        "samples",
        "status",
        "raw_ratio",
    ):
        assert key in cert["gates"][0]
    for key in ("id", "clause", "title", "status", "message"):
        assert key in cert["cases"][0]


# ---- writers -------------------------------------------------------------------------------


@pytest.fixture
def mixed_cert(tmp_path):
    cases = [
        case("CORE-LOAD-001", "pass"),
        case("CORE-LOAD-002", "fail", "expected 1 | got <2> & \x01"),
        case("CORE-ERR-001", "crash", "SIGSEGV", suite="core_err"),
        case("CORE-CONC-001", "timeout", "15 s", suite="core_conc"),
        case("CORE-OPT-001", "not_supported", "hot reload"),
        case("CORE-Q-001", "quality_warning", "slow"),
    ]
    return make_cert(tmp_path, cases, [gate("pass"), gate("fail")])


def test_all_reports_are_written_and_stale_ones_removed(tmp_path, mixed_cert):
    out = tmp_path / "out"
    written = reports.write_all(mixed_cert, str(out))
    assert sorted(p.split("/")[-1] for p in written) == [
        "certification.json",
        "junit.xml",
        "report.html",
        "summary.md",
    ]
    assert json.loads((out / "certification.json").read_text()) == mixed_cert
    reports.remove_stale(str(out))
    assert list(out.iterdir()) == []


def test_junit_has_one_testcase_per_case_and_gate_with_mapped_statuses(mixed_cert):
    root = ET.fromstring(junit_report.render(mixed_cert).encode())
    conformance, performance = root.findall("testsuite")
    cases = {tc.get("name").split(":")[0]: tc for tc in conformance.findall("testcase")}
    assert len(cases) == 6
    assert cases["CORE-LOAD-001"].find("*") is None
    assert cases["CORE-LOAD-002"].find("failure") is not None
    assert cases["CORE-ERR-001"].find("error").get("type") == "crash"
    assert cases["CORE-CONC-001"].find("error").get("type") == "timeout"
    assert cases["CORE-OPT-001"].find("skipped") is not None
    assert cases["CORE-Q-001"].find("failure") is None
    assert (
        conformance.get("tests"),
        conformance.get("failures"),
        conformance.get("errors"),
        conformance.get("skipped"),
    ) == ("6", "1", "2", "1")
    gate_cases = performance.findall("testcase")
    assert len(gate_cases) == 2
    assert gate_cases[0].find("failure") is None and gate_cases[1].find("failure") is not None
    # the failed gate cites its target by document name, section and line, never by a path
    assert (
        "target: Core Module System API, section module_load, line 191: **Performance:** "
        "<1.5ms load time" in gate_cases[1].find("failure").text
    )
    assert root.get("tests") == "8" and root.get("failures") == "2"
    # the control character was replaced, the markup characters escaped
    assert "expected 1 | got <2> &" in cases["CORE-LOAD-002"].find("failure").get("message")


def test_junit_skipped_gates(tmp_path):
    cert = make_cert(tmp_path, [case("C-1", "pass")], gates.skipped([BUDGET], "--no-gates"))
    performance = ET.fromstring(junit_report.render(cert).encode()).findall("testsuite")[1]
    assert performance.get("skipped") == "1"


def test_markdown_summary(mixed_cert):
    text = markdown_report.render(mixed_cert)
    assert text.startswith("# coremod certification: REJECTED")
    assert "`" + mixed_cert["candidate"]["sha256"] + "`" in text
    # failing cases listed before passing ones, pipes escaped inside table cells
    assert text.index("CORE-LOAD-002") < text.index("CORE-LOAD-001")
    assert "expected 1 \\| got <2>" in text
    assert "| module_load | P.2 | p99 < 1.5 ms | ms | 1 |" in text
    assert "2.00×" in text  # ratio to raw dlopen of the passing gate (1 ms / 0.5 ms)
    assert "Test CPU" in text
