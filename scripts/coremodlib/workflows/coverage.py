"""`coremod coverage`: line coverage of the reference implementation (impl/) by coremod's tests.

Builds the project with coverage (meson -Db_coverage=true, buildtype debug so that every line maps
to its code) in a build directory of its own, clears earlier counters, runs what exercises impl/ —
the conformance suite against that build's reference, and the meson tests (impl's coremod-exercise
driver, the platform and kernel tests, the fixtures' checks) — then has gcovr write an HTML report
(the figure at its top) and a Cobertura XML file into reports/coverage/, with a summary JSON the
HTML certification report reads. Exit 1 when the share of impl/ lines executed is under the
threshold.

Counted: every C file under impl/ except the tests' own sources (impl/tests, impl/*/tests) and the
kernel benchmarks (impl/asm/bench); hand-written assembly has no gcov lines and is not counted.
"""
import datetime
import json
import os
import shutil
import subprocess

from coremodlib.report import coverage_view

from coremodlib.run import build, suite
from coremodlib.records import case_results
from coremodlib import paths, settings
from coremodlib.errors import HarnessError

BUILD_OPTIONS = {"b_coverage": True, "buildtype": "debug"}
EXCLUDED = ("impl/tests/", r"impl/.*/tests/", "impl/asm/bench/")
XML_NAME = "coverage.xml"
HTML_NAME = "index.html"
SUMMARY_NAME = "coverage-summary.json"
EXIT_BELOW_THRESHOLD = 1
MESON_TEST_TIMEOUT_S = 1800


def clear_counters(build_dir):
    """Removes the .gcda files of earlier runs, so the figure is this run's alone."""
    removed = 0
    for root, _dirs, files in os.walk(build_dir):
        for name in files:
            if name.endswith(".gcda"):
                os.remove(os.path.join(root, name))
                removed += 1
    return removed


def _run_suite(build_dir, work_dir, progress):
    """The conformance suite against the coverage build's reference; returns a short record."""
    impl = paths.reference_impl(build_dir)
    outcome = suite.run(
        paths.suite_executable(build_dir),
        impl,
        paths.fixtures_dir(build_dir),
        os.path.join(work_dir, "results.jsonl"),
        os.path.join(work_dir, "conformance.log"),
        progress,
    )
    counts = case_results.count_statuses(outcome.cases)
    bad = sum(counts.get(s, 0) for s in case_results.REJECTING + (case_results.HARNESS_FAULT,))
    return {
        "step": "conformance suite",
        "cases": counts.get("total", 0),
        "not_passing": bad,
        "missing": len(outcome.missing),
        "ok": bad == 0 and not outcome.missing,
        "log": outcome.log_path,
    }


def _run_meson_tests(build_dir, work_dir, progress):
    progress.phase("running the meson tests (coremod-exercise, platform, kernels, fixtures)")
    log_path = os.path.join(work_dir, "meson-test.log")
    with open(log_path, "w", encoding="utf-8") as log:
        result = subprocess.run(
            ["meson", "test", "-C", build_dir, "--no-rebuild", "--print-errorlogs"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=MESON_TEST_TIMEOUT_S,
            check=False,
        )
    return {
        "step": "meson test",
        "ok": result.returncode == 0,
        "exit_status": result.returncode,
        "log": log_path,
    }


def gcovr_command(build_dir, out_dir, threshold=settings.DEFAULT_COVERAGE_THRESHOLD):
    cmd = ["gcovr", "--root", paths.REPO_ROOT, "--filter", os.path.join(paths.REPO_ROOT, "impl/")]
    for pattern in EXCLUDED:
        cmd += ["--exclude", os.path.join(paths.REPO_ROOT, pattern)]
    cmd += [
        "--xml",
        os.path.join(out_dir, XML_NAME),
        "--xml-pretty",
        "--html-details",
        os.path.join(out_dir, HTML_NAME),
        "--html-title",
        "coremod: coverage of impl/ by coremod's tests",
        "--html-high-threshold",
        f"{threshold:g}",
        "--html-medium-threshold",
        f"{min(threshold, 75.0):g}",
        "--print-summary",
        build_dir,
    ]
    return cmd


def _run_gcovr(build_dir, out_dir, threshold, progress):
    progress.phase("gcovr: writing " + os.path.join(out_dir, HTML_NAME) + " and " + XML_NAME)
    for name in os.listdir(out_dir):
        if name.endswith(".html") or name.endswith(".css") or name == XML_NAME:
            os.remove(os.path.join(out_dir, name))
    try:
        result = subprocess.run(
            gcovr_command(build_dir, out_dir, threshold),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=build_dir,
            check=False,
        )
    except FileNotFoundError:
        raise HarnessError("gcovr not found: ./scripts/coremod bootstrap installs it") from None
    if result.returncode != 0:
        raise HarnessError(f"gcovr failed (exit {result.returncode}):\n{result.stdout[-3000:]}")
    return result.stdout


def summarize(out_dir, threshold, steps, build_dir):
    with open(os.path.join(out_dir, XML_NAME), encoding="utf-8") as f:
        figures = coverage_view.parse_cobertura(f.read())
    if not figures["lines_valid"]:
        raise HarnessError("gcovr found no impl/ lines: was the build made with coverage?")
    summary = {
        "schema": "coremod-coverage/1",
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "scope": "impl/ (without impl/tests, impl/*/tests, impl/asm/bench)",
        "percent": round(figures["percent"], 2),
        "lines_valid": figures["lines_valid"],
        "lines_covered": figures["lines_covered"],
        "threshold": threshold,
        "passed": figures["percent"] >= threshold,
        "directories": figures["directories"],
        "html": os.path.join(out_dir, HTML_NAME),
        "xml": os.path.join(out_dir, XML_NAME),
        "build_dir": build_dir,
        "steps": steps,
    }
    with open(os.path.join(out_dir, SUMMARY_NAME), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    return summary


def run(*, build_dir, out, threshold, progress):
    """`coremod coverage`: the suite and the C unit tests on a coverage build, gcovr's line
    coverage of impl/ against `threshold` (percent), the summary and HTML in `out`. The exit
    code."""
    out_dir = os.path.abspath(out)
    os.makedirs(out_dir, exist_ok=True)
    build_dir = build.ensure_built(build_dir, progress, options=BUILD_OPTIONS)
    build.require_outputs(
        build_dir,
        [
            paths.reference_impl(build_dir),
            paths.suite_executable(build_dir),
            paths.fixtures_dir(build_dir),
        ],
    )
    clear_counters(build_dir)
    work_dir = os.path.join(out_dir, "runs")
    shutil.rmtree(work_dir, ignore_errors=True)
    os.makedirs(work_dir)
    steps = [
        _run_suite(build_dir, work_dir, progress),
        _run_meson_tests(build_dir, work_dir, progress),
    ]
    gcovr_summary = _run_gcovr(build_dir, out_dir, threshold, progress)
    summary = summarize(out_dir, threshold, steps, build_dir)
    progress.finish()
    print(summary_text(summary, gcovr_summary))
    return 0 if summary["passed"] else EXIT_BELOW_THRESHOLD


def summary_text(summary, gcovr_summary=""):
    verdict = "OK" if summary["passed"] else "BELOW THRESHOLD"
    lines = [
        f"coremod coverage: {verdict}: {summary['percent']:.2f}% of impl/ lines executed "
        f"({summary['lines_covered']} of {summary['lines_valid']}), threshold "
        f"{summary['threshold']:g}%"
    ]
    for d in summary["directories"]:
        lines.append(
            f"  {d['name']}: {d['percent']:.1f}% ({d['lines_covered']}/" f"{d['lines_valid']})"
        )
    for step in summary["steps"]:
        if not step["ok"]:
            lines.append(
                f"  warning: {step['step']} did not pass cleanly (log: {step['log']}); "
                f"the figure counts what ran"
            )
    lines.append(f"  report:  {summary['html']}")
    lines.append(f"  xml:     {summary['xml']}")
    if not summary["passed"]:
        lines.append(
            f"coremod coverage: {summary['percent']:.2f}% is under the threshold "
            f"{summary['threshold']:g}%: exit {EXIT_BELOW_THRESHOLD}"
        )
    if gcovr_summary:
        lines.append("  gcovr (all filtered files): " + " ".join(gcovr_summary.split()))
    return "\n".join(lines)
