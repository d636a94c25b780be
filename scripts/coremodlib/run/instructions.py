"""Deterministic mode: instructions per operation under valgrind's callgrind, and their comparison
with a committed baseline (perf/baselines/instructions-<machine>.json).

Timings on a shared VM vary from run to run; the number of instructions an operation executes does
not, once everything that could vary is held still:
- collection is switched on only around the candidate's timed runs of kept iterations
  (coremod-bench --metric instructions, perf/bench/bench_instructions.h), never around set-up,
  warm-up, the clock reads or the platform-loader twin;
- every path the measured process sees is fixed, under FIXED_ROOT: the module copies (instead of
  a random mkdtemp name), the fixture, the candidate and the runner themselves (copied there:
  both are self-contained ELF files) and the results file. Path lengths move the heap and the
  stack, which changes how many instructions memset and friends take on them, and the loader
  compares and copies the paths it opens. A lock file serialises concurrent measurements;
- the fixture is copied without its debug sections, which record the build directory's path
  (and so change the file's size, which the reference reads whole);
- address-space randomisation is off (setarch -R), the environment is fixed and minimal, and the
  iteration counts are fixed (SAMPLES, WARMUP);
- each benchmark family runs in a process of its own, so one operation's count does not depend
  on which other operations were measured before it.
The reference draws a per-process random salt for its handle values (impl/core/handle_table.c);
it only enters arithmetic, never a branch or a loop bound, so it does not change the counts (the
test that compares two runs would catch it if it did).

Counts still depend on the compiler, the C library (the loader does most of the work of a load),
valgrind's view of the CPU (glibc picks its string functions by CPU features), the CPU and its
core count (the JIT, Cache and NUMA operations walk the topology table) and the build options,
so a baseline records them and a measurement made with different ones is reported as "not
comparable" instead of being judged.
"""
import contextlib
import datetime
import fcntl
import json
import os
import platform
import re
import shutil
import subprocess

from coremodlib.run import build
from coremodlib.machine import environment
from coremodlib.records import files, operations
from coremodlib import paths
from coremodlib.errors import HarnessError

BASELINE_SCHEMA = "coremod-instructions-baseline/1"
BASELINES_DIR = paths.BASELINES_DIR
THRESHOLD = 0.01  # a count more than 1 % above the baseline is a regression
SAMPLES = 100  # kept iterations per operation
WARMUP = 10  # discarded iterations before them (first-call costs: lazy binding, ...)
# Everything the measured process sees lives under one fixed root (see the module docstring).
FIXED_ROOT = "/tmp/coremod-instructions"
COPIES_DIR = os.path.join(FIXED_ROOT, "copies")
FIXTURES_DIR = os.path.join(FIXED_ROOT, "fixtures")
FIXTURE_MODULE = os.path.join("modules", "example_module.so")
CANDIDATE_COPY = os.path.join(FIXED_ROOT, "candidate.so")
BENCH_COPY = os.path.join(FIXED_ROOT, "coremod-bench")
OUT_DIR = os.path.join(FIXED_ROOT, "out")
LOCK_FILE = "/tmp/coremod-instructions.lock"
# The families coremod-bench can count (perf/bench/bench_operations.h), each run in its own
# process; module_get_symbol's family also reports module_get_symbol_cold.
FAMILIES = operations.COUNTABLE
# Build options that change the code measured (meson introspect names).
BUILD_OPTIONS = (
    "buildtype",
    "optimization",
    "debug",
    "b_ndebug",
    "b_sanitize",
    "b_coverage",
    "b_lto",
    "b_pie",
    "c_args",
    "kernels",
)
DEFAULT_TIMEOUT_S = 600
STATUSES = ("pass", "fail", "not_comparable", "no_baseline", "error")


def baseline_path(machine=None):
    """The committed baseline for this machine architecture."""
    return os.path.join(BASELINES_DIR, f"instructions-{machine or platform.machine()}.json")


# ---- facts the counts depend on -------------------------------------------------------------


def _output(cmd):
    try:
        result = subprocess.run(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def hwcaps_from_ld_help(text):
    """The highest glibc-hwcaps level `ld.so --help` marks as supported ('x86-64-v3'), else
    'none'. Run under valgrind it says which CPU features glibc sees there, and so which string
    functions (strlen, memcpy ...) the loader will pick."""
    levels = re.findall(r"^\s+(\S+) \(supported", text or "", re.M)
    return levels[0] if levels else "none"


def _dynamic_loader():
    for candidate in ("/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"):
        if os.path.exists(candidate):
            return candidate
    return None


def toolchain(build_dir):
    """What instruction counts depend on besides the code: compared before any judgement."""
    # The native libc6 (a cross-compiling machine also has libc6:arm64 ...).
    arch = (_output(["dpkg", "--print-architecture"]) or "").strip()
    libc_package = _output(
        ["dpkg-query", "-W", "-f=${Version}", f"libc6:{arch}" if arch else "libc6"]
    )
    valgrind = _output(["valgrind", "--version"])
    loader = _dynamic_loader()
    hwcaps = (
        hwcaps_from_ld_help(_output(["valgrind", "-q", loader, "--help"])) if loader else "unknown"
    )
    try:
        options = build.current_options(build_dir)
    except HarnessError:
        options = {}
    cpuinfo = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            cpuinfo = f.read()
    except OSError:
        pass
    return {
        "machine": platform.machine(),
        # The JIT, Cache and NUMA operations walk the machine's topology table, so their counts
        # follow the CPU and its core count.
        "cpu_model": environment.cpu_model_from_cpuinfo(cpuinfo),
        "cpus": os.cpu_count() or 0,
        "compiler": environment.compiler(build_dir),
        "glibc": os.confstr("CS_GNU_LIBC_VERSION") if hasattr(os, "confstr") else "unknown",
        "libc6_package": (libc_package or "unknown").strip(),
        "valgrind": (valgrind or "unknown").strip(),
        "hwcaps_under_valgrind": hwcaps,
        "build_options": {k: options[k] for k in BUILD_OPTIONS if k in options},
    }


def settings(samples=SAMPLES, warmup=WARMUP, aslr_off=True):
    return {
        "samples": samples,
        "warmup": warmup,
        "fixed_root": FIXED_ROOT,
        "aslr": "off" if aslr_off else "on",
    }


def aslr_can_be_turned_off():
    """Whether `setarch -R` works here (a container's seccomp profile may forbid personality())."""
    try:
        return (
            subprocess.run(
                ["setarch", platform.machine(), "-R", "true"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                check=False,
            ).returncode
            == 0
        )
    except OSError:
        return False


# ---- measuring --------------------------------------------------------------------------------


def parse_callgrind(text):
    """(trigger, total Ir) of one callgrind output file; trigger is the dump's name (the
    operation) or None for the end-of-program dump."""
    trigger, total = None, None
    for line in text.splitlines():
        if line.startswith("desc: Trigger:"):
            match = re.match(r"desc: Trigger: Client Request: (.+)$", line)
            trigger = match.group(1).strip() if match else None
        elif line.startswith("events:"):
            if line.split()[1:2] != ["Ir"]:
                raise ValueError(f"callgrind output counts {line[7:].strip()!r}, not Ir first")
        elif line.startswith("totals:") or (total is None and line.startswith("summary:")):
            total = int(line.split()[1])
    if total is None:
        raise ValueError("no totals line")
    return trigger, total


def command(work_dir, family, samples=SAMPLES, warmup=WARMUP, aslr_off=True):
    """The fixed-environment callgrind command line of one family (inside _fixed_root)."""
    no_aslr = ["setarch", platform.machine(), "-R"] if aslr_off else []
    return [
        "env",
        "-i",
        "PATH=/usr/bin:/bin",
        "LC_ALL=C",
        *no_aslr,
        "valgrind",
        "--tool=callgrind",
        "--collect-atstart=no",
        "--quiet",
        f"--callgrind-out-file={os.path.join(work_dir, family, 'callgrind.out')}",
        BENCH_COPY,
        "--impl",
        CANDIDATE_COPY,
        "--fixtures",
        FIXTURES_DIR,
        "--metric",
        "instructions",
        "--only",
        family,
        "--samples",
        str(samples),
        "--warmup",
        str(warmup),
        "--copies-dir",
        COPIES_DIR,
        "--out",
        os.path.join(OUT_DIR, "bench.json"),
    ]


@contextlib.contextmanager
def _fixed_root(bench_exe, impl, fixtures):
    """Holds the lock on FIXED_ROOT and fills it: the runner, the candidate, the stripped fixture.
    Removes what an interrupted run may have left there before, and what this one made after."""
    with open(LOCK_FILE, "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            shutil.rmtree(FIXED_ROOT, ignore_errors=True)
            os.makedirs(OUT_DIR)
            shutil.copy2(bench_exe, BENCH_COPY)
            shutil.copy2(impl, CANDIDATE_COPY)
            _strip_fixture(fixtures)
            yield
        finally:
            shutil.rmtree(FIXED_ROOT, ignore_errors=True)
            fcntl.flock(lock, fcntl.LOCK_UN)


def _strip_fixture(fixtures):
    """FIXTURES_DIR holding the build's fixture module without debug sections (objcopy
    --strip-debug): the same bytes whatever the build directory is called."""
    source = os.path.join(fixtures, FIXTURE_MODULE)
    target = os.path.join(FIXTURES_DIR, FIXTURE_MODULE)
    os.makedirs(os.path.dirname(target))
    try:
        result = subprocess.run(
            ["objcopy", "--strip-debug", source, target],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise HarnessError("objcopy (binutils) is needed to count instructions") from None
    if result.returncode != 0:
        raise HarnessError(f"objcopy --strip-debug {source} failed: {result.stdout.strip()}")


def _run_family(work_dir, family, samples, warmup, aslr_off, timeout_s):
    family_dir = os.path.join(work_dir, family)
    shutil.rmtree(family_dir, ignore_errors=True)
    os.makedirs(family_dir)
    cmd = command(work_dir, family, samples, warmup, aslr_off)
    log_path = os.path.join(family_dir, "valgrind.log")
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            proc = subprocess.run(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=timeout_s,
                check=False,
            )
        except FileNotFoundError as exc:
            raise HarnessError(
                f"cannot run {exc.filename}: install valgrind " f"(./scripts/coremod bootstrap)"
            ) from None
        except subprocess.TimeoutExpired:
            raise HarnessError(
                f"counting instructions of {family} took more than {timeout_s} s; "
                f"log: {log_path}"
            ) from None
    if proc.returncode != 0:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            tail = "".join(f.readlines()[-20:])
        raise HarnessError(
            f"coremod-bench --metric instructions --only {family} under callgrind "
            f"exited with {proc.returncode}; log: {log_path}\n{tail}"
        )
    shutil.move(os.path.join(OUT_DIR, "bench.json"), os.path.join(family_dir, "bench.json"))
    return family_dir


def _read_family(family_dir):
    """{operation: result} of one family's run: dumps matched with the runner's JSON."""
    with open(os.path.join(family_dir, "bench.json"), encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("metric") != "instructions":
        raise HarnessError(f"{family_dir}/bench.json was not written with --metric instructions")
    totals = {}
    for name in sorted(os.listdir(family_dir)):
        if re.fullmatch(r"callgrind\.out\.\d+", name):
            with open(os.path.join(family_dir, name), encoding="utf-8") as f:
                trigger, total = parse_callgrind(f.read())
            if trigger is not None:
                totals[trigger] = total
    results = {}
    for op in doc["operations"]:
        results[op["name"]] = operation_result(op, totals.get(op["name"]))
    return results


def operation_result(op, total):
    """Instructions per operation from one bench operation and its dump's total."""
    if "error" in op:
        return {"status": "error", "message": f"not measured: {op['error']}"}
    if op.get("failures"):
        return {
            "status": "error",
            "message": f"{op['failures']} call(s) failed while counting; the count would "
            f"include failed calls",
        }
    operations = len(op.get("samples") or []) * int(op.get("batch") or 1)
    if total is None or operations == 0:
        return {"status": "error", "message": "no instructions were collected"}
    return {"instructions": total, "operations": operations, "per_op": round(total / operations, 2)}


def measure(
    bench_exe,
    impl,
    fixtures,
    work_dir,
    progress,
    samples=SAMPLES,
    warmup=WARMUP,
    aslr_off=True,
    timeout_s=DEFAULT_TIMEOUT_S,
):
    """{operation: {"instructions", "operations", "per_op"} or {"status": "error", "message"}}
    for every countable operation of `impl`, measured under callgrind."""
    if not shutil.which("valgrind"):
        raise HarnessError("--metric instructions needs valgrind (./scripts/coremod bootstrap)")
    if not os.access(bench_exe, os.X_OK):
        raise HarnessError(f"benchmark runner not found or not executable: {bench_exe}")
    os.makedirs(work_dir, exist_ok=True)
    results = {}
    with _fixed_root(bench_exe, impl, fixtures):
        for family in FAMILIES:
            progress.phase(f"counting instructions under callgrind: {family}")
            family_dir = _run_family(
                os.path.abspath(work_dir), family, samples, warmup, aslr_off, timeout_s
            )
            results.update(_read_family(family_dir))
    return results


def measurement(build_dir, impl, work_dir, progress, samples=SAMPLES, warmup=WARMUP):
    """A full measurement record: counts plus the toolchain and settings they depend on. Where
    ASLR cannot be turned off the counts are still made, and the settings say so (a baseline
    recorded with ASLR off is then not comparable)."""
    aslr_off = aslr_can_be_turned_off()
    if not aslr_off:
        progress.note(
            "setarch -R is not permitted here: counting with address-space " "randomisation on"
        )
    counts = measure(
        paths.bench_executable(build_dir),
        impl,
        paths.fixtures_dir(build_dir),
        work_dir,
        progress,
        samples=samples,
        warmup=warmup,
        aslr_off=aslr_off,
    )
    return {
        "toolchain": toolchain(build_dir),
        "settings": settings(samples, warmup, aslr_off),
        "operations": counts,
    }


# ---- baselines and comparison -------------------------------------------------------------------


def make_baseline(record, commit=None):
    operations = {name: r for name, r in record["operations"].items() if "per_op" in r}
    return {
        "schema": BASELINE_SCHEMA,
        "recorded_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "candidate": "reference",
        "commit": commit,
        "threshold": THRESHOLD,
        "toolchain": record["toolchain"],
        "settings": record["settings"],
        "operations": operations,
    }


def save_baseline(record, path, commit=None):
    data = make_baseline(record, commit)
    files.write_json(path, data, compact=False)
    return data


def load_baseline(path):
    """The baseline at `path`, or None when there is none; HarnessError when it is malformed."""
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise HarnessError(f"cannot read instruction baseline {path}: {exc}") from None
    if (
        not isinstance(data, dict)
        or data.get("schema") != BASELINE_SCHEMA
        or not isinstance(data.get("operations"), dict)
    ):
        raise HarnessError(f"{path}: not an instruction baseline ({BASELINE_SCHEMA})")
    return data


def differences(recorded, current, prefix=""):
    """["key: recorded -> current"] for every fact that differs (nested dicts flattened)."""
    out = []
    for key in sorted(set(recorded) | set(current)):
        old, new = recorded.get(key), current.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            out += differences(old, new, f"{prefix}{key}.")
        elif old != new:
            out.append(f"{prefix}{key}: {old!r} -> {new!r}")
    return out


def compare(record, baseline, threshold=THRESHOLD, baseline_name=None):
    """{"comparable", "reasons", "baseline", "threshold", "operations": {name: {per_op, baseline,
    change_ratio, status, result, message}}}. A count above baseline x (1 + threshold) fails;
    one below baseline x (1 - threshold) is an improvement (passes: update the baseline)."""
    out = {
        "baseline": baseline_name,
        "threshold": threshold,
        "comparable": False,
        "reasons": [],
        "operations": {},
    }
    if baseline is None:
        out["reasons"] = ["no baseline recorded for this machine"]
    else:
        out["reasons"] = differences(
            baseline.get("toolchain", {}), record["toolchain"]
        ) + differences(baseline.get("settings", {}), record["settings"])
        out["comparable"] = not out["reasons"]
    base_ops = (baseline or {}).get("operations", {})
    for name, measured in record["operations"].items():
        entry = {
            "per_op": measured.get("per_op"),
            "baseline": None,
            "change_ratio": None,
            "threshold": threshold,
            "result": None,
        }
        base = base_ops.get(name, {}).get("per_op")
        if base:
            entry["baseline"] = base
        if "per_op" not in measured:
            entry.update(status="error", message=measured.get("message", "not measured"))
        elif baseline is None or base is None:
            entry.update(
                status="no_baseline",
                message=f"{measured['per_op']:.1f} instructions/op; no baseline",
            )
        elif not out["comparable"]:
            entry["change_ratio"] = measured["per_op"] / base
            entry.update(
                status="not_comparable",
                message=f"{measured['per_op']:.1f} instructions/op; baseline "
                f"{base:.1f} was recorded with a different toolchain: "
                + "; ".join(out["reasons"][:3]),
            )
        else:
            ratio = measured["per_op"] / base
            entry["change_ratio"] = ratio
            if ratio > 1 + threshold:
                result, status = "regression", "fail"
            elif ratio < 1 - threshold:
                result, status = "improvement", "pass"
            else:
                result, status = "no_change", "pass"
            entry.update(
                status=status,
                result=result,
                message=f"{measured['per_op']:.1f} instructions/op vs baseline "
                f"{base:.1f} ({(ratio - 1) * 100:+.2f} %, threshold "
                f"{threshold * 100:g} %)",
            )
        out["operations"][name] = entry
    return out


def apply_to_gates(gates, comparison, decide):
    """Adds each gate's "instructions" entry (schema coremod-certification/2). With `decide`
    (--metric instructions) a gate whose count was compared with a comparable baseline takes its
    status from the count, and keeps the time verdict as "time_status"; otherwise the time
    verdict stands and the count is shown beside it."""
    for gate in gates:
        entry = comparison["operations"].get(gate["operation"])
        if entry is None:
            continue
        gate["instructions"] = dict(entry)
        if decide and entry["status"] in ("pass", "fail") and gate["status"] != "skipped":
            gate["time_status"] = gate["status"]
            gate["time_message"] = gate.get("message", "")
            gate["metric"] = "instructions"
            gate["status"] = entry["status"]
            gate["message"] = f"{entry['message']}; time: {gate['time_message']}"
    return gates


def unbudgeted(comparison, gates):
    """Counted operations that no gate names (e.g. module_get_symbol_cold), for the record."""
    named = {g["operation"] for g in gates}
    return {name: e for name, e in comparison["operations"].items() if name not in named}
