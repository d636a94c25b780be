"""The whole-process benchmark: coremod-coldstart's two modes, hyperfine's JSON export parsed into
the record with the coremod/raw ratio and its uncertainty."""
import os
import shlex
import subprocess

import pytest

from coremodlib import paths
from coremodlib.run import whole_process
from coremodlib.errors import HarnessError
from coremodlib.progress import Silent


def hyperfine_result(name, times):
    mean = sum(times) / len(times)
    var = sum((t - mean) ** 2 for t in times) / max(len(times) - 1, 1)
    ordered = sorted(times)
    return {
        "command": name,
        "mean": mean,
        "stddev": var**0.5,
        "median": ordered[len(ordered) // 2],
        "user": 0.001,
        "system": 0.003,
        "min": ordered[0],
        "max": ordered[-1],
        "times": times,
        "exit_codes": [0] * len(times),
    }


def test_parse_export_reads_both_commands_and_the_ratio():
    coremod = [0.0053 + 0.0001 * (i % 5) for i in range(40)]
    raw = [0.0045 + 0.0001 * (i % 3) for i in range(40)]
    record = whole_process.parse_export(
        {"results": [hyperfine_result("coremod", coremod), hyperfine_result("raw", raw)]}
    )
    c, r = record["commands"]["coremod"], record["commands"]["raw"]
    assert c["runs"] == 40 and r["exit_codes"] == [0]
    assert c["median_s"] == pytest.approx(sorted(coremod)[20])
    ratio = record["ratio"]
    assert ratio["of_means"] == pytest.approx(c["mean_s"] / r["mean_s"])
    expected_sd = (
        ratio["of_means"]
        * ((c["stddev_s"] / c["mean_s"]) ** 2 + (r["stddev_s"] / r["mean_s"]) ** 2) ** 0.5
    )
    assert ratio["of_means_stddev"] == pytest.approx(expected_sd)
    low, high = ratio["of_medians_ci"]
    assert low <= ratio["of_medians"] <= high
    assert 1.0 < low and high < 1.5


def test_parse_export_rejects_a_wrong_number_of_results():
    with pytest.raises(HarnessError):
        whole_process.parse_export({"results": [hyperfine_result("coremod", [0.1, 0.2])]})
    with pytest.raises(HarnessError):
        whole_process.parse_export(
            {"results": [hyperfine_result("a", [0.1]), {"command": "b", "times": []}]}
        )


def test_hyperfine_command_quotes_paths_it_passes_through_its_own_splitting():
    cmds = {
        "coremod": ["/x y/coldstart", "--mode", "coremod", "--impl", "/a'b/lib.so"],
        "raw": ["/x/coldstart", "--mode", "raw"],
    }
    cmd = whole_process.hyperfine_command(cmds, "/out/h.json", warmup=3, runs=7)
    assert cmd[:8] == ["hyperfine", "-N", "--warmup", "3", "--runs", "7", "--style", "basic"]
    first = cmd[cmd.index("coremod") + 1]
    assert shlex.split(first) == cmds["coremod"]


@pytest.fixture(scope="session")
def modules_dir(main_build, tmp_path_factory):
    return whole_process.make_modules(
        paths.fixtures_dir(main_build), str(tmp_path_factory.mktemp("coldstart") / "modules"), 20
    )


def coldstart(main_build, *args):
    return subprocess.run(
        [whole_process.coldstart_executable(main_build), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["coremod", "raw"])
def test_coldstart_loads_every_module(main_build, modules_dir, mode):
    result = coldstart(
        main_build,
        "--mode",
        mode,
        "--modules",
        modules_dir,
        "--count",
        "20",
        "--impl",
        paths.reference_impl(main_build),
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.e2e
def test_coldstart_refuses_too_few_modules_and_bad_usage(main_build, modules_dir):
    short = coldstart(main_build, "--mode", "raw", "--modules", modules_dir, "--count", "21")
    assert short.returncode == 2 and "holds 20 module(s)" in short.stderr
    assert (
        coldstart(main_build, "--mode", "fast", "--modules", modules_dir, "--count", "1").returncode
        == 2
    )


@pytest.mark.e2e
def test_coldstart_fails_when_a_load_fails(main_build, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.so").write_bytes(b"not an ELF file")
    for mode in ("coremod", "raw"):
        result = coldstart(
            main_build,
            "--mode",
            mode,
            "--modules",
            str(bad),
            "--count",
            "1",
            "--impl",
            paths.reference_impl(main_build),
        )
        assert result.returncode == 1, (mode, result.stderr)


@pytest.mark.e2e
def test_whole_process_benchmark_runs_under_hyperfine(main_build, tmp_path):
    record = whole_process.run(
        main_build, paths.reference_impl(main_build), str(tmp_path), Silent(), quick=True
    )
    assert set(record["commands"]) == {"coremod", "raw"}
    for command in record["commands"].values():
        assert command["runs"] == whole_process.QUICK_RUNS
        assert command["exit_codes"] == [0]
        assert 0 < command["min_s"] <= command["median_s"] <= command["max_s"]
    assert record["ratio"]["of_medians"] > 0 and record["budget"] is None
    assert record["modules"] == whole_process.MODULES
    assert os.path.exists(record["export"])
