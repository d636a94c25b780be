"""The HTML report: its parts on synthetic records (areas with failures first, the history read
only, self-contained output), and end to end a real `certify --metric instructions` of the
reference rendered by `coremod report` and opened in headless Chromium, which must show the
verdict, every gate and every plot; the screenshot is written beside the report (report.png)."""
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess

import pytest

from conftest import build_root, run_coremod
from coremodlib.report import history_view, html_report, markdown_report
from coremodlib.records import budgets
from coremodlib.judge import gates

HISTORY_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE runs(id INTEGER PRIMARY KEY, started_at TEXT, commit_id TEXT, candidate TEXT,
    candidate_sha256 TEXT, metric TEXT, verdict TEXT, environment_json TEXT, good INTEGER);
CREATE TABLE gate_results(run_id INTEGER REFERENCES runs(id), operation TEXT, unit TEXT,
    budget REAL, statistic TEXT, p50 REAL, p90 REAL, p99 REAL, max REAL, mad REAL, ci_low REAL,
    ci_high REAL, status TEXT, regression TEXT, change_ratio REAL, p_value REAL,
    samples_json TEXT);
INSERT INTO meta VALUES ('schema_version', '1');
"""


def make_history(path, gates, runs=12, regression_run=9):
    """A history in the contract's schema (docs/report-schema.md): `runs` runs of `gates`
    [(operation, unit, budget, p50, p99)], the first gate regressing in `regression_run`."""
    db = sqlite3.connect(path)
    db.executescript(HISTORY_SCHEMA)
    for run in range(1, runs + 1):
        db.execute(
            "INSERT INTO runs VALUES (?, ?, ?, 'ref', 'sha', 'time', 'certified', '{}', 1)",
            (run, f"2026-01-{run:02d}T02:00:00+00:00", f"{run:040x}"),
        )
        for number, (operation, unit, budget, p50, p99) in enumerate(gates):
            wobble = 1 + 0.02 * ((run * 7 + number * 3) % 5 - 2)
            regressed = number == 0 and run == regression_run
            factor = wobble * (1.25 if regressed else 1.0)
            db.execute(
                "INSERT INTO gate_results (run_id, operation, unit, budget, statistic, "
                "p50, p99, status, regression, change_ratio) VALUES "
                "(?, ?, ?, ?, 'p99', ?, ?, 'pass', ?, ?)",
                (
                    run,
                    operation,
                    unit,
                    budget,
                    p50 * factor,
                    p99 * factor,
                    "regression" if regressed else "no_change",
                    factor,
                ),
            )
    db.commit()
    db.close()


def case(case_id, status, message=""):
    return {
        "id": case_id,
        "suite": "s",
        "clause": "3.1",
        "title": f"title of {case_id}",
        "status": status,
        "message": message,
        "elapsed_s": 0.01,
    }


def synthetic_cert():
    samples = [30.0 + (i % 17) * 0.5 for i in range(200)]
    budget = budgets.make("module_load", "p99", "<", 1500.0, "us", clause="P.2")
    gate = dict(
        gates.skeleton(budget),
        samples=200,
        p50=34.0,
        p90=37.0,
        p99=38.0,
        max=38.0,
        min=30.0,
        mad=2.0,
        raw_ratio=1.2,
        raw_baseline="dlopen",
        raw_p50=28.0,
        status="pass",
        message="p99 38 us < budget 1500 us",
        raw_samples=samples,
    )
    skipped = dict(
        gates.skeleton(
            budgets.make("concurrent_modules", "min", ">=", 1000, "count", clause="P.6")
        ),
        message="not run (--no-gates)",
    )
    return {
        "schema": "coremod-certification/2",
        "verdict": "rejected",
        "exit_code": 1,
        "reason": "1 case(s) did not pass: CORE-LOAD-002 (fail)",
        "candidate": {
            "path": "/x/libcand.so",
            "sha256": "ab" * 32,
            "size_bytes": 9,
            "is_reference": False,
        },
        "harness_version": "9.9",
        "started_at": "s",
        "finished_at": "f",
        "counts": {"pass": 3, "fail": 1, "total": 4},
        "cases": [
            case("CORE-API-001", "pass"),
            case("CORE-LOAD-001", "pass"),
            case("CORE-LOAD-002", "fail", "expected <NULL> & got 0x1"),
            case("TOPO-DET-001", "pass"),
        ],
        "gates": [gate, skipped],
        "measurements": [],
        "environment": {"cpu_model": "CPU"},
        "noise": {"warnings": ["load average 3 on 2 cores"]},
        "options": {},
    }


# ---- unit ---------------------------------------------------------------------------------------


def test_area_is_the_id_prefix():
    assert html_report.area_of("CORE-LOAD-003") == "CORE-LOAD"
    assert html_report.area_of("TOPO-REPLAY-013") == "TOPO-REPLAY"
    assert html_report.area_of("CANDIDATE-LOAD", "harness") == "harness"


def test_areas_with_failures_come_first_and_their_failures_first():
    areas = html_report.conformance_areas(synthetic_cert()["cases"])
    assert [a["name"] for a in areas] == ["CORE-LOAD", "CORE-API", "TOPO-DET"]
    assert areas[0]["bad"] == 1 and areas[0]["cases"][0]["id"] == "CORE-LOAD-002"


def test_history_is_read_in_run_order_with_units_made_common(tmp_path):
    path = str(tmp_path / "h.sqlite")
    make_history(path, [("module_load", "ns", 1.5e6, 34000.0, 50000.0)], runs=5, regression_run=3)
    view = history_view.read(path, max_runs=4)
    series = view["gates"]["module_load"]
    assert view["available"] and view["runs"] == 4
    assert [p["run_id"] for p in series["points"]] == [2, 3, 4, 5]
    assert [p["regression"] for p in series["points"]].count("regression") == 1
    with sqlite3.connect(path) as db:
        db.execute("UPDATE gate_results SET unit = 'us', p50 = p50 / 1000 WHERE run_id = 5")
    last = history_view.read(path)["gates"]["module_load"]["points"][-1]
    assert last["p50"] == pytest.approx(34000.0 * 0.96)  # run 5's wobble; back in ns


def test_history_absent_or_of_another_schema_is_said(tmp_path):
    assert not history_view.read(str(tmp_path / "none.sqlite"))["available"]
    path = str(tmp_path / "h.sqlite")
    make_history(path, [])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '7'")
    view = history_view.read(path)
    assert not view["available"] and "version 7" in view["note"]


def test_report_is_self_contained_and_escapes_text(tmp_path):
    path = str(tmp_path / "h.sqlite")
    make_history(path, [("module_load", "us", 1500.0, 34.0, 38.0)])
    page = html_report.render(
        synthetic_cert(), history_path=path, coverage_dir=str(tmp_path / "nocov")
    )
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    assert not re.search(r"""url\(\s*["']?(?!#)""", page)  # only the page's own SVG ids
    assert "expected &lt;NULL&gt; &amp; got 0x1" in page
    assert page.count('data-check="plot:dist:module_load"') == 1
    assert page.count('data-check="plot:trend:module_load"') == 1
    assert "no samples to plot" in page  # the skipped gate says why it has no plot
    assert "Coverage: not run" in page
    assert page.index("CORE-LOAD") < page.index("CORE-API")


def test_markdown_shows_instruction_counts_beside_time_and_the_whole_process():
    cert = synthetic_cert()
    cert["instructions"] = {
        "baseline": "perf/baselines/instructions-x86_64.json",
        "threshold": 0.01,
        "comparable": False,
        "reasons": ["compiler: 'gcc 12' -> 'gcc 13'"],
        "operations": {
            "module_load": {
                "per_op": 15482.0,
                "baseline": 15400.0,
                "change_ratio": 1.0053,
                "status": "not_comparable",
            }
        },
    }
    cert["whole_process"] = {
        "modules": 100,
        "runs": 50,
        "warmup": 5,
        "tool": "hyperfine 1.15.0",
        "note": "Informational.",
        "budget": None,
        "commands": {
            n: {
                "median_s": 0.005,
                "mean_s": 0.005,
                "stddev_s": 0.0001,
                "min_s": 0.004,
                "max_s": 0.006,
            }
            for n in ("coremod", "raw")
        },
        "ratio": {
            "of_medians": 1.0,
            "of_medians_ci": [0.98, 1.02],
            "of_means": 1.0,
            "of_means_stddev": 0.03,
        },
    }
    text = markdown_report.render(cert)
    assert "| module_load | pass | 38 | us | 15482.0 | 15400.0 | +0.53% | not comparable |" in text
    assert "**Not judged**" in text and "gcc 13" in text
    assert "coremod / raw: **1.000×**" in text


# ---- end to end: Chromium ------------------------------------------------------------------

CHECK_SCRIPT = """
<script>
(function () {
  function box(el) {
    var r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {w: r.width, h: r.height, top: r.top + window.scrollY,
            visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' &&
                     s.display !== 'none' && parseFloat(s.opacity) > 0};
  }
  var out = {checks: {}, height: document.documentElement.scrollHeight};
  document.querySelectorAll('[data-check]').forEach(function (el) {
    var entry = box(el), svg = el.querySelector('svg');
    if (svg) { var b = box(svg); entry.svg = {w: b.w, h: b.h, visible: b.visible,
                                             marks: svg.querySelectorAll('path, use').length}; }
    entry.text = el.innerText.slice(0, 200);
    out.checks[el.getAttribute('data-check')] = entry;
  });
  var pre = document.createElement('pre');
  pre.id = 'coremod-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium is not installed: ./scripts/coremod bootstrap installs it")


def run_chromium(profile, *args):
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=180,
        check=False,
    )


def inspect(report_path, profile):
    """The check script's results for the report, loaded in Chromium."""
    with open(report_path, encoding="utf-8") as f:
        page = f.read()
    probe = report_path + ".check.html"
    with open(probe, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", CHECK_SCRIPT + "</body>"))
    result = run_chromium(profile, "--window-size=1280,1000", "--dump-dom", f"file://{probe}")
    os.remove(probe)
    match = re.search(r'<pre id="coremod-check">(.*?)</pre>', result.stdout, re.S)
    assert match, (
        f"Chromium did not run the check (exit {result.returncode}): " f"{result.stderr[-2000:]}"
    )
    return json.loads(html.unescape(match.group(1)))


@pytest.fixture(scope="session")
def rendered_report(main_build):
    """A real certification of the reference with instruction counts, a history in the
    contract's schema built from its gates (synthetic: a history needs many nights), the latest
    coverage run if `coremod coverage` wrote one in this build root, rendered by `coremod
    report`. Kept in <build root>/report-test/ for a person to look at."""
    out = os.path.join(build_root(), "report-test")
    shutil.rmtree(out, ignore_errors=True)
    result = run_coremod(
        "certify", "--build-dir", main_build, "--out", out, "--metric", "instructions"
    )
    assert result.returncode in (0, 3), result.stdout + result.stderr
    with open(os.path.join(out, "certification.json"), encoding="utf-8") as f:
        cert = json.load(f)
    history = os.path.join(out, "history.sqlite")
    make_history(
        history,
        [
            (g["operation"], g["unit"], g["budget"], g["p50"], g["p99"])
            for g in cert["gates"]
            if g["p50"] is not None
        ],
    )
    coverage_dir = os.path.join(build_root(), "coverage-report")
    report = os.path.join(out, "report.html")
    result = run_coremod(
        "report", "--in", out, "--history", history, "--coverage", coverage_dir, "--out", report
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return cert, report


@pytest.mark.e2e
def test_report_renders_in_chromium_with_every_section(rendered_report, tmp_path):
    cert, report = rendered_report
    checks = inspect(report, str(tmp_path / "profile"))["checks"]

    def visible(key, min_w=20, min_h=10):
        assert key in checks, f"{key} is missing from the page"
        entry = checks[key]
        assert entry["visible"] and entry["w"] >= min_w and entry["h"] >= min_h, (key, entry)
        return entry

    assert cert["verdict"].upper() in visible("verdict", 600, 60)["text"]
    for section in (
        "conformance-table",
        "gates-table",
        "environment-table",
        "coverage-summary",
        "whole-process-table",
    ):
        visible(section)
    for gate in cert["gates"]:
        visible(f"gate:{gate['operation']}", 300, 100)
        visible(f"gate-row:{gate['operation']}")
        if gate["samples"]:
            for kind in ("dist", "trend"):
                plot = visible(f"plot:{kind}:{gate['operation']}", 300, 150)
                assert plot["svg"]["visible"] and plot["svg"]["w"] >= 300, plot
                assert plot["svg"]["h"] >= 120 and plot["svg"]["marks"] >= 5, plot
    visible("plot:whole-process", 300, 80)


@pytest.mark.e2e
def test_report_screenshot_is_written_beside_the_report(rendered_report, tmp_path):
    _, report = rendered_report
    height = inspect(report, str(tmp_path / "profile"))["height"]
    png = os.path.join(os.path.dirname(report), "report.png")
    if os.path.exists(png):
        os.remove(png)
    result = run_chromium(
        str(tmp_path / "profile2"),
        f"--screenshot={png}",
        f"--window-size=1280,{min(max(int(height), 800), 16000)}",
        f"file://{report}",
    )
    assert os.path.exists(png), result.stderr[-2000:]
    with open(png, "rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, shot_height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert width == 1280 and shot_height >= 800
    print(f"screenshot: {png} ({width}x{shot_height})")


@pytest.mark.parametrize(
    "verdict, colour",
    [("certified", "ok"), ("passed", "ok"), ("rejected", "bad"), ("failed", "bad")],
)
def test_banner_colour_follows_the_verdict(tmp_path, verdict, colour):
    cert = dict(synthetic_cert(), verdict=verdict)
    page = html_report.render(
        cert, history_path=str(tmp_path / "none.sqlite"), coverage_dir=str(tmp_path)
    )
    assert f'class="banner {colour}"' in page and verdict.upper() in page
