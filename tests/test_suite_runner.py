"""The suite runner (coremodlib.run.suite, coremodlib.records.case_results) against a stand-in for
the Criterion executable, so that every way a run can go wrong is exercised without the real
suite."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from coremodlib.records import case_results
from coremodlib.run import suite
from coremodlib.errors import HarnessError
from coremodlib.progress import Progress, Silent

# A stand-in for coremod-conformance: lists 3 cases like Criterion, and writes their results the
# way the contract says -- or breaks in the way FAKE_MODE asks.
FAKE_RUNNER = textwrap.dedent(
    """\
    #!/usr/bin/python3
    import json, os, signal, sys
    mode = os.environ.get("FAKE_MODE", "complete")
    cases = [("core_load", "CORE_LOAD_001", "pass"), ("core_load", "CORE_LOAD_002", "fail"),
             ("core_err", "CORE_ERR_001", "not_supported")]
    if sys.argv[1:] == ["--list"]:
        for suite in ("core_err", "core_load"):
            names = [c[1] for c in cases if c[0] == suite]
            print(f"{suite}: {len(names)} tests")
            for i, name in enumerate(names):
                print(("└── " if i == len(names) - 1 else "├── ") + name)
        sys.exit(0)
    with open(os.environ["FAKE_SEEN_ENV"], "w") as f:
        json.dump({k: os.environ.get(k) for k in
                   ("COREMOD_IMPL", "COREMOD_FIXTURES_DIR", "COREMOD_RESULTS_FILE")}, f)
    out = open(os.environ["COREMOD_RESULTS_FILE"], "a")
    for n, (suite, name, status) in enumerate(cases):
        if mode == "missing" and n == 2:
            break
        if mode == "hang" and n == 1:
            out.flush()
            import time
            time.sleep(600)
        if mode == "die" and n == 1:
            out.flush()
            os.kill(os.getpid(), signal.SIGSEGV)
        record = {"schema": "coremod-case/1", "id": name.replace("_", "-"), "suite": suite,
                  "clause": "3.1", "title": f"title of {name}", "status": status,
                  "message": "boom" if status == "fail" else "", "elapsed_s": 0.01}
        if mode == "badschema":
            record["schema"] = "other/9"
        out.write(json.dumps(record) + "\\n")
    out.close()
    if mode == "die_at_exit":
        os.kill(os.getpid(), signal.SIGABRT)
    sys.exit(2 if mode == "strange_exit" else 1)
"""
)


@pytest.fixture
def fake_runner(tmp_path):
    exe = tmp_path / "coremod-conformance"
    exe.write_text(FAKE_RUNNER)
    exe.chmod(0o755)
    return str(exe)


def run_fake(tmp_path, exe, mode, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", mode)
    monkeypatch.setenv("FAKE_SEEN_ENV", str(tmp_path / "seen.json"))
    return suite.run(
        exe,
        "/cand/libx.so",
        "/fixtures",
        str(tmp_path / "results.jsonl"),
        str(tmp_path / "suite.log"),
        Silent(),
    )


def test_parse_criterion_list_output():
    text = "core_err: 2 tests\n├── c\n└── d\ncore_load: 1 test\n`-- a\n"
    assert suite.parse_list(text) == [("core_err", "c"), ("core_err", "d"), ("core_load", "a")]


def test_complete_run_gives_every_case_and_sets_the_environment(tmp_path, fake_runner, monkeypatch):
    outcome = run_fake(tmp_path, fake_runner, "complete", monkeypatch)
    assert outcome.returncode == 1 and outcome.missing == []
    cases = suite.account_for(outcome, "/cand/libx.so", probe=pytest.fail)  # no probe needed
    assert [(c["id"], c["status"]) for c in cases] == [
        ("CORE-LOAD-001", "pass"),
        ("CORE-LOAD-002", "fail"),
        ("CORE-ERR-001", "not_supported"),
    ]
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen == {
        "COREMOD_IMPL": "/cand/libx.so",
        "COREMOD_FIXTURES_DIR": "/fixtures",
        "COREMOD_RESULTS_FILE": str(tmp_path / "results.jsonl"),
    }


def test_stale_results_of_an_earlier_run_are_not_read(tmp_path, fake_runner, monkeypatch):
    (tmp_path / "results.jsonl").write_text(
        json.dumps(
            {
                "schema": "coremod-case/1",
                "id": "OLD-1",
                "suite": "old",
                "clause": "1",
                "title": "t",
                "status": "fail",
                "message": "",
            }
        )
        + "\n"
    )
    outcome = run_fake(tmp_path, fake_runner, "complete", monkeypatch)
    assert "OLD-1" not in [c["id"] for c in outcome.cases]


def test_missing_case_with_loadable_candidate_is_a_harness_error(
    tmp_path, fake_runner, monkeypatch
):
    outcome = run_fake(tmp_path, fake_runner, "missing", monkeypatch)
    assert outcome.missing == [{"suite": "core_err", "test": "CORE_ERR_001"}]
    with pytest.raises(
        HarnessError, match="(?s)1 of 3 cases have no result.*failure of the harness"
    ):
        suite.account_for(outcome, "/cand/libx.so", probe=lambda impl: ("ok", ""))


def test_runner_crash_with_loadable_candidate_is_a_harness_error(
    tmp_path, fake_runner, monkeypatch
):
    outcome = run_fake(tmp_path, fake_runner, "die", monkeypatch)
    assert outcome.returncode < 0
    with pytest.raises(HarnessError, match="SIGSEGV"):
        suite.account_for(outcome, "/cand/libx.so", probe=lambda impl: ("ok", ""))


def test_runner_crash_caused_by_candidate_rejects_it(tmp_path, fake_runner, monkeypatch):
    outcome = run_fake(tmp_path, fake_runner, "die", monkeypatch)
    cases = suite.account_for(
        outcome, "/cand/libx.so", probe=lambda impl: ("crash", "killed by signal SIGSEGV")
    )
    assert [c["status"] for c in cases] == ["pass", "crash", "crash"]
    assert "crashes when loaded" in cases[-1]["message"]


def test_unloadable_candidate_fails_the_unreported_cases(tmp_path, fake_runner, monkeypatch):
    outcome = run_fake(tmp_path, fake_runner, "missing", monkeypatch)
    cases = suite.account_for(
        outcome, "/cand/libx.so", probe=lambda impl: ("unloadable", "invalid ELF header")
    )
    assert cases[-1]["status"] == "fail" and "invalid ELF header" in cases[-1]["message"]


def test_inconclusive_probe_does_not_blame_the_candidate(tmp_path, fake_runner, monkeypatch):
    outcome = run_fake(tmp_path, fake_runner, "die", monkeypatch)
    with pytest.raises(HarnessError, match="inconclusive"):
        suite.account_for(outcome, "/x.so", probe=lambda impl: ("inconclusive", "asan"))


def test_runner_dying_after_all_results_is_still_judged(tmp_path, fake_runner, monkeypatch):
    outcome = run_fake(tmp_path, fake_runner, "die_at_exit", monkeypatch)
    assert outcome.missing == [] and outcome.returncode < 0
    with pytest.raises(HarnessError):
        suite.account_for(outcome, "/x.so", probe=lambda impl: ("ok", ""))
    cases = suite.account_for(outcome, "/x.so", probe=lambda impl: ("crash", "SIGABRT"))
    assert cases[-1]["id"] == "CANDIDATE-LOAD" and cases[-1]["status"] == "crash"


def test_hung_runner_is_killed_and_names_the_unreported_cases(tmp_path, fake_runner, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "hang")
    monkeypatch.setenv("FAKE_SEEN_ENV", str(tmp_path / "seen.json"))
    with pytest.raises(
        HarnessError, match="(?s)no case for 2 s.*2 of 3 cases.*" "core_load/CORE_LOAD_002"
    ):
        suite.run(
            fake_runner,
            "/x.so",
            "/f",
            str(tmp_path / "r.jsonl"),
            str(tmp_path / "l"),
            Silent(),
            stall_s=2,
        )


def test_unexpected_exit_code_is_abnormal(tmp_path, fake_runner, monkeypatch):
    outcome = run_fake(tmp_path, fake_runner, "strange_exit", monkeypatch)
    with pytest.raises(HarnessError, match="exit code 2"):
        suite.account_for(outcome, "/x.so", probe=lambda impl: ("ok", ""))


def test_results_off_contract_are_a_harness_error(tmp_path, fake_runner, monkeypatch):
    with pytest.raises(HarnessError, match="schema"):
        run_fake(tmp_path, fake_runner, "badschema", monkeypatch)


def test_runner_that_is_not_there(tmp_path):
    with pytest.raises(HarnessError, match="not found"):
        suite.run(
            str(tmp_path / "absent"),
            "/x.so",
            "/f",
            str(tmp_path / "r"),
            str(tmp_path / "l"),
            Silent(),
        )


def test_progress_shows_failing_cases_as_plain_lines(tmp_path, fake_runner, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "complete")
    monkeypatch.setenv("FAKE_SEEN_ENV", str(tmp_path / "seen.json"))

    class Capture:
        text = ""

        def write(self, s):
            Capture.text += s

        def flush(self):
            pass

    suite.run(
        fake_runner,
        "/x.so",
        "/f",
        str(tmp_path / "r.jsonl"),
        str(tmp_path / "l"),
        Progress(stream=Capture(), tty=False),
    )
    assert "CORE-LOAD-002 fail: boom" in Capture.text
    assert "\r" not in Capture.text  # no live line when not on a terminal


# ---- case results parsing ------------------------------------------------------------------


def good_line(**changes):
    record = {
        "schema": "coremod-case/1",
        "id": "CORE-X-001",
        "suite": "s",
        "clause": "1.1",
        "title": "t",
        "status": "pass",
        "message": "",
        "elapsed_s": 0.5,
    }
    record.update(changes)
    return json.dumps(record)


@pytest.mark.parametrize(
    "line, complaint",
    [
        ("not json", "not JSON"),
        ("[1]", "not a JSON object"),
        (good_line(status="passed"), "unknown status"),
        (good_line(schema="coremod-case/2"), "schema"),
        (json.dumps({"schema": "coremod-case/1", "id": "x"}), "missing keys"),
        (good_line(elapsed_s="fast"), "elapsed_s"),
    ],
)
def test_case_lines_off_contract_are_rejected(line, complaint):
    with pytest.raises(HarnessError, match=complaint):
        case_results.parse_line(line, "here")


def test_a_case_reported_twice_is_rejected(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(good_line() + "\n" + good_line() + "\n")
    with pytest.raises(HarnessError, match="twice"):
        case_results.read_results(str(path))


def test_partial_last_line_is_ignored_while_polling(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(good_line() + "\n" + good_line(id="CORE-X-002")[:20])
    assert len(case_results.read_results(str(path), complete_lines_only=True)) == 1
    with pytest.raises(HarnessError):
        case_results.read_results(str(path))


def test_counts_cover_every_status():
    counts = case_results.count_statuses([{"status": "pass"}, {"status": "crash"}])
    assert counts["pass"] == 1 and counts["crash"] == 1 and counts["total"] == 2
    assert set(case_results.STATUSES) <= set(counts)


# ---- the candidate probe, on real shared objects built here --------------------------------


def compile_so(tmp_path, name, source):
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    out = tmp_path / f"lib{name}.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(out), str(src)], check=True)
    return str(out)


def test_probe_tells_good_crashing_and_unloadable_candidates_apart(tmp_path):
    good = compile_so(tmp_path, "good", "int module_get_last_error(void) { return 0; }\n")
    crashing = compile_so(
        tmp_path,
        "crashing",
        "#include <signal.h>\n"
        "__attribute__((constructor)) static void c(void) { raise(SIGSEGV); }\n",
    )
    text = tmp_path / "text.so"
    text.write_text("not a library\n")
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    assert suite.probe_candidate(good, python=python)[0] == "ok"
    verdict, detail = suite.probe_candidate(crashing, python=python)
    assert verdict == "crash" and "SIGSEGV" in detail
    verdict, detail = suite.probe_candidate(str(text), python=python)
    assert verdict == "unloadable" and detail
