"""coremod-bench's clock (perf/bench/bench_timer.c): impl/asm's timestamp-counter kernel when its
rate is known and constant, CLOCK_MONOTONIC otherwise or when COREMOD_BENCH_TIMER=monotonic; the
results file names the one used. No timing is asserted: only which clock, and that it counts."""
import json
import os
import subprocess

import pytest

from coremodlib import paths


def _bench_timer(main_build, tmp_path, **env):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            paths.bench_executable(main_build),
            "--impl",
            paths.reference_impl(main_build),
            "--quick",
            "--only",
            "module_system_init",
            "--out",
            str(out),
        ],
        env=dict(os.environ, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout
    doc = json.loads(out.read_text())
    samples = [s for op in doc["operations"] for s in op.get("samples") or []]
    return doc["timer"], samples


def _invariant_tsc():
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        flags = f.read()
    # the kernel's names for CPUID 0x80000007 EDX bit 8 (constant rate, runs in deep sleep)
    return " constant_tsc" in flags and " nonstop_tsc" in flags


def test_the_timestamp_counter_is_the_clock_when_its_rate_is_constant(main_build, tmp_path):
    timer, samples = _bench_timer(main_build, tmp_path)
    if os.uname().machine == "x86_64" and _invariant_tsc():
        assert timer["source"].startswith("rdtsc (impl/asm coremod_tsc_read)"), timer
        assert "MHz calibrated against CLOCK_MONOTONIC" in timer["source"]
    elif os.uname().machine == "x86_64":
        assert timer["source"].startswith("clock_gettime(CLOCK_MONOTONIC): the TSC is not"), timer
    else:
        pytest.skip(f"no expectation written for {os.uname().machine}")
    assert timer["resolution_ns"] >= 1
    assert samples and all(s > 0 for s in samples), "the clock must advance across a call"


def test_the_environment_can_force_clock_gettime(main_build, tmp_path):
    timer, samples = _bench_timer(main_build, tmp_path, COREMOD_BENCH_TIMER="monotonic")
    assert timer["source"] == "clock_gettime(CLOCK_MONOTONIC): COREMOD_BENCH_TIMER=monotonic"
    assert samples and all(s > 0 for s in samples)
