"""The AArch64 build (README, "Cross-architecture"): the library, the fixtures, the broken
implementations and the suite built for AArch64 and run here under qemu-user-static.

Selected by `coremod test --arch aarch64` (or `--arch all`), which prepares the machine first with
cross/setup-aarch64.sh; a plain `coremod test` deselects these (marker `aarch64`). Everything that
can be judged under an emulator is: every meson test (the assembly kernels equal to their C twins,
detection, the threaded exercise drivers, the bad files), the reference certified by the AArch64
suite, every broken implementation rejected by its named case, and detection replaying every
recorded machine. Timings are not: under qemu they are the emulator's, so certify refuses to judge
gates of an emulated candidate (tested below).
"""
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO_ROOT, broken_manifest, build_root, run_coremod
from coremodlib.run import build, cross
from coremodlib.records import case_results
from coremodlib.machine import elfmachine
from coremodlib import paths
from coremodlib.workflows import topology
from coremodlib.progress import Progress

pytestmark = [pytest.mark.aarch64, pytest.mark.e2e]

# Cases that cannot observe what they check under qemu-user, and why; they must end
# not_supported there (never pass, never fail). Everything else must pass or be declared
# unsupported by the candidate itself, exactly as on the native build.
EMULATOR_LIMITS = {
    # qemu-user does not emulate /proc/self/task/TID/syscall, which the case reads to see that
    # a thread is blocked inside dlopen.
    "CORE-SYM-010": "/proc/self/task/TID/syscall",
    # qemu-user has no perf_event_open (ENOSYS): no hardware breakpoints or watchpoints (SPEC
    # 14.10; conformance/harness/debugger_support.h, DEBUGGER_NO_HARDWARE).
    **{
        case_id: "no working debug registers here"
        for case_id in (
            "DEBUG-BP-002",
            "DEBUG-BP-004",
            "DEBUG-CLR-002",
            "DEBUG-EVT-002",
            "DEBUG-HIT-003",
            "DEBUG-HW-001",
            "DEBUG-STATE-003",
        )
    },
}
# The meson tests the AArch64 build must run (more may be added; none may disappear unnoticed).
MESON_TESTS = (
    "kernels",
    "platform",
    "coremod-exercise",
    "coremod-optimization-exercise",
    "coremod-debugger-exercise",
    "debugger-displaced",
    "bad files are what they claim",
)


@pytest.fixture(scope="module")
def aarch64_build():
    missing = cross.missing_setup()
    if missing:
        pytest.fail(
            "this machine is not prepared for the AArch64 tests; run them with "
            "`./scripts/coremod test --arch aarch64`, which runs cross/setup-aarch64.sh. "
            "Missing: " + "; ".join(missing)
        )
    progress = Progress(stream=sys.stderr, tty=False)
    return build.ensure_built(
        os.path.join(build_root(), cross.BUILD_NAME), progress, cross_file=cross.cross_file()
    )


def _meson_tests(build_dir):
    result = subprocess.run(
        ["meson", "introspect", "--tests", build_dir], stdout=subprocess.PIPE, text=True, check=True
    )
    return sorted({t["name"] for t in json.loads(result.stdout)})


def test_everything_built_is_aarch64(aarch64_build):
    built = [
        paths.reference_impl(aarch64_build),
        paths.suite_executable(aarch64_build),
        paths.exercise_executable(aarch64_build),
        os.path.join(aarch64_build, "impl", "asm", "tests", "coremod-kernel-tests"),
        os.path.join(aarch64_build, "fixtures", "modules", "example_module.so"),
        topology.tool_path(aarch64_build),
    ]
    built += [
        os.path.join(paths.broken_impls_dir(aarch64_build), entry["library"])
        for _, entry in broken_manifest()
    ]
    machines = {path: elfmachine.of_file(path) for path in built}
    assert all(m == "aarch64" for m in machines.values()), machines
    # the foreign-architecture bad file is foreign to this build: x86-64
    foreign = os.path.join(aarch64_build, "fixtures", "bad", "foreign_arch.so")
    assert elfmachine.of_file(foreign) == "x86_64"


# Which built file calls which assembly kernel (kernels=asm, the default): the library's hint
# classifier and prefetch loop, the compute_engine fixture's scale-and-add (the document's NEON
# example), the benchmark runner's counter read; every kernel in the equality tests.
KERNEL_USERS = {
    "impl/libcoremod.so": ("coremod_insn_classify_asm", "coremod_prefetch_range_asm"),
    "fixtures/modules/compute_engine.so": ("coremod_scale_add_f32_asm",),
    "perf/coremod-bench": ("coremod_tsc_read_asm", "coremod_tsc_frequency_hz_asm"),
    "impl/asm/tests/coremod-kernel-tests": (
        "coremod_insn_classify_asm",
        "coremod_prefetch_range_asm",
        "coremod_scale_add_f32_asm",
        "coremod_secure_zero_asm",
        "coremod_capture_processor_state_asm",
        "coremod_tsc_read_asm",
    ),
}


@pytest.mark.parametrize("relative", sorted(KERNEL_USERS))
def test_the_aarch64_assembly_kernels_are_linked_in(aarch64_build, relative):
    assert build.current_options(aarch64_build)["kernels"] == "asm"
    nm = "aarch64-linux-gnu-nm" if cross.emulated() else "nm"
    symbols = subprocess.run(
        [nm, os.path.join(aarch64_build, relative)], stdout=subprocess.PIPE, text=True, check=True
    ).stdout
    absent = [k for k in KERNEL_USERS[relative] if f" {k}\n" not in symbols]
    assert not absent, f"{relative} lacks {absent}"


def test_every_expected_meson_test_is_registered(aarch64_build):
    assert set(MESON_TESTS) <= set(_meson_tests(aarch64_build))


@pytest.mark.parametrize("name", MESON_TESTS)
def test_meson_test_passes_under_qemu(aarch64_build, name):
    # The kernels' Criterion tests compare every assembly kernel with its C twin on random and
    # edge inputs; platform replays detection; the exercise drivers run threads.
    # --timeout-multiplier: emulation is several times slower than the native run.
    result = subprocess.run(
        [
            "meson",
            "test",
            "-C",
            aarch64_build,
            "--print-errorlogs",
            "--timeout-multiplier",
            "5",
            name,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    assert "Ok:                 1" in result.stdout, result.stdout[-3000:]


def _certify(aarch64_build, out, *extra):
    result = run_coremod(
        "certify", "--build-dir", aarch64_build, "--no-gates", "--out", str(out), *extra
    )
    cert_path = os.path.join(str(out), "certification.json")
    cert = None
    if os.path.exists(cert_path):
        with open(cert_path, encoding="utf-8") as f:
            cert = json.load(f)
    return result, cert


def test_reference_is_certified_by_the_aarch64_suite_under_qemu(aarch64_build, tmp_path):
    result, cert = _certify(aarch64_build, tmp_path, "--profile", "coremod")
    assert result.returncode == 0, result.stdout + result.stderr
    assert cert["candidate"]["machine"] == "aarch64"
    assert cert["candidate"]["emulated"] is cross.emulated()
    if cross.emulated():
        assert "(aarch64, run under qemu-user: conformance only)" in result.stdout
        summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
        assert "built for aarch64, run under qemu-user" in summary
    assert cert["suite"]["listed_cases"] == len(cert["cases"]) >= 180
    unexpected = {}
    for case in cert["cases"]:
        if case["status"] == "pass":
            continue
        limit = EMULATOR_LIMITS.get(case["id"]) if cross.emulated() else None
        # The reference refuses hot reload and security policies, which SPEC 3.10 allows.
        declared = "(allowed: SPEC 3.10)" in case["message"]
        if case["status"] == "not_supported" and (declared or (limit and limit in case["message"])):
            continue
        unexpected[case["id"]] = f"{case['status']}: {case['message'][:200]}"
    assert not unexpected, unexpected


def test_gates_of_an_emulated_candidate_are_refused(aarch64_build, tmp_path):
    if not cross.emulated():
        pytest.skip("this machine is AArch64: nothing is emulated")
    result = run_coremod("certify", "--build-dir", aarch64_build, "--out", str(tmp_path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "emulator" in result.stderr and "--no-gates" in result.stderr
    assert not os.path.exists(os.path.join(str(tmp_path), "certification.json"))


@pytest.mark.parametrize("name, entry", broken_manifest(), ids=[n for n, _ in broken_manifest()])
def test_broken_implementation_is_rejected_under_qemu(aarch64_build, tmp_path, name, entry):
    # --strict-spec: a defect caught by a coremod-level case rejects too (fixtures/broken-impls/
    # manifest.toml; without it such a one is certified with advisories, test_e2e_certify.py).
    # Under qemu the exports are not probed: CORE-API-001 catches a missing function itself.
    if entry.get("needs_hardware_debug") and cross.emulated():
        pytest.skip(f"{name}: its defect is in hardware debugging, which qemu-user lacks")
    # Only the catching cases run (--case): they are all this test looks at, the whole AArch64
    # suite runs against the reference above, and under qemu every other case of a full run
    # costs the emulator's time 18 times over.
    library = os.path.join(paths.broken_impls_dir(aarch64_build), entry["library"])
    result, cert = _certify(
        aarch64_build,
        tmp_path,
        "--impl",
        library,
        "--strict-spec",
        "--profile",
        entry.get("profile", "full"),
        *[arg for case_id in entry["caught_by"] for arg in ("--case", case_id)],
    )
    assert result.returncode == 1, f"{name}: exit {result.returncode}\n{result.stderr[-3000:]}"
    assert cert["strict_spec"] and cert["verdict"] == "rejected", cert["reason"]
    statuses = {c["id"]: c for c in cert["cases"]}
    assert sorted(statuses) == sorted(entry["caught_by"]), sorted(statuses)
    expected = set(entry.get("expected_status") or case_results.REJECTING)
    for case_id in entry["caught_by"]:
        got = statuses[case_id]
        assert got["outcome"] in expected, (
            f"{name}: {case_id} ended {got['outcome']} ({got['message']}), expected one of "
            f"{sorted(expected)}"
        )


@pytest.mark.parametrize("machine", topology.recorded_machines())
def test_detection_replays_every_recorded_machine_under_qemu(aarch64_build, machine):
    from test_topology_command import _differences

    result = run_coremod("topology", "--json", "--machine", machine, "--build-dir", aarch64_build)
    assert result.returncode == 0, result.stderr
    with open(
        os.path.join(REPO_ROOT, "fixtures", "topology", machine, "expected.json"), encoding="utf-8"
    ) as f:
        expected = json.load(f)
    expected.pop("source", None)
    assert _differences(expected, json.loads(result.stdout)) == []
