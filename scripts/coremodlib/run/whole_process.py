"""The whole-process benchmark: a process that starts, initialises the module system and loads 100
modules, against the same process loading them with raw dlopen (perf/coldstart), timed from exec
to exit by hyperfine. hyperfine's JSON export is parsed into the certification record's
"whole_process" section.

Informational: the API document gives no budget for a whole process's cold start, so nothing is
judged; the ratio coremod/raw is reported with its uncertainty.
"""
import json
import os
import shutil
import subprocess

from coremodlib import paths, stats
from coremodlib.errors import HarnessError

MODULES = 100
WARMUP = 5
RUNS = 100
QUICK_RUNS = 20
DEFAULT_TIMEOUT_S = 600
CONFIDENCE = 0.95
NOTE = (
    "Informational: the API document sets no budget for a whole process's cold start, so "
    "this benchmark is reported, not judged."
)


def coldstart_executable(build_dir):
    return os.path.join(build_dir, "perf", "coldstart", "coremod-coldstart")


def make_modules(fixtures_dir, target_dir, count=MODULES):
    """`count` distinct copies of the fixture module in a fresh `target_dir` (a loader tells
    modules apart by device and inode, so each needs its own file)."""
    source = os.path.join(fixtures_dir, "modules", "example_module.so")
    if not os.path.isfile(source):
        raise HarnessError(f"fixture module not found: {source}")
    shutil.rmtree(target_dir, ignore_errors=True)
    os.makedirs(target_dir)
    for i in range(count):
        shutil.copyfile(source, os.path.join(target_dir, f"module{i:04d}.so"))
        os.chmod(os.path.join(target_dir, f"module{i:04d}.so"), 0o755)
    return target_dir


def commands(exe, impl, modules_dir, count=MODULES):
    """{name: argv} of the two processes compared."""
    common = ["--modules", modules_dir, "--count", str(count)]
    return {
        "coremod": [exe, "--mode", "coremod", *common, "--impl", impl],
        "raw": [exe, "--mode", "raw", *common],
    }


def hyperfine_command(cmds, export_path, warmup=WARMUP, runs=RUNS):
    # -N (--shell=none): exec the command directly, so no shell's start-up is timed with it.
    cmd = [
        "hyperfine",
        "-N",
        "--warmup",
        str(warmup),
        "--runs",
        str(runs),
        "--style",
        "basic",
        "--export-json",
        export_path,
    ]
    for name, argv in cmds.items():
        cmd += ["-n", name, " ".join(_quote(a) for a in argv)]
    return cmd


def _quote(arg):
    # hyperfine -N splits the command like a shell would (shell-words); quote what needs it.
    if arg and all(c.isalnum() or c in "/._-+=:," for c in arg):
        return arg
    return "'" + arg.replace("'", "'\\''") + "'"


def _summary(result):
    times = [float(t) for t in result.get("times") or []]
    if not times:
        raise HarnessError(f"hyperfine reported no times for {result.get('command')!r}")
    out = {"command": result.get("command"), "runs": len(times)}
    for key in ("mean", "stddev", "median", "min", "max", "user", "system"):
        value = result.get(key)
        out[key + "_s"] = float(value) if isinstance(value, (int, float)) else None
    out["times_s"] = times
    out["exit_codes"] = sorted(set(result.get("exit_codes") or []))
    return out


def ratio_with_uncertainty(a, b):
    """The coremod/raw ratio: of means with the propagated standard deviation (hyperfine's own
    "± ... times faster"), and of medians with a 95 % bootstrap confidence interval."""
    mean_ratio = a["mean_s"] / b["mean_s"]
    relative = ((a["stddev_s"] or 0) / a["mean_s"]) ** 2 + ((b["stddev_s"] or 0) / b["mean_s"]) ** 2
    out = {
        "of_means": mean_ratio,
        "of_means_stddev": mean_ratio * relative**0.5,
        "of_medians": stats.median(a["times_s"]) / stats.median(b["times_s"]),
        "of_medians_ci": None,
        "confidence": CONFIDENCE,
    }
    if len(a["times_s"]) >= 5 and len(b["times_s"]) >= 5:
        import numpy as np
        from scipy import stats as sp_stats

        result = sp_stats.bootstrap(
            (np.asarray(a["times_s"]), np.asarray(b["times_s"])),
            lambda x, y, axis=-1: np.median(x, axis=axis) / np.median(y, axis=axis),
            confidence_level=CONFIDENCE,
            n_resamples=2000,
            method="percentile",
            random_state=np.random.default_rng(0),
            vectorized=True,
        )
        out["of_medians_ci"] = [
            float(result.confidence_interval.low),
            float(result.confidence_interval.high),
        ]
    return out


def parse_export(doc, names=("coremod", "raw")):
    """The "whole_process" figures from hyperfine's --export-json document, whose results come in
    the order of the commands given (`names`)."""
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list) or len(results) != len(names):
        raise HarnessError(
            f"hyperfine's export has {len(results or [])} results, expected " f"{len(names)}"
        )
    commands_out = {name: _summary(r) for name, r in zip(names, results)}
    return {
        "commands": commands_out,
        "ratio": ratio_with_uncertainty(commands_out["coremod"], commands_out["raw"]),
    }


def hyperfine_version():
    try:
        out = subprocess.run(
            ["hyperfine", "--version"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            check=False,
        ).stdout
    except OSError:
        return "unknown"
    return out.strip() or "unknown"


def run(
    build_dir, impl, out_dir, progress, quick=False, count=MODULES, timeout_s=DEFAULT_TIMEOUT_S
):
    """Runs the benchmark; returns the "whole_process" record. HarnessError when hyperfine or the
    program is missing or a timed process failed."""
    if not shutil.which("hyperfine"):
        raise HarnessError(
            "the whole-process benchmark needs hyperfine " "(./scripts/coremod bootstrap)"
        )
    exe = coldstart_executable(build_dir)
    if not os.access(exe, os.X_OK):
        raise HarnessError(f"coremod-coldstart not found or not executable: {exe}")
    work = os.path.join(out_dir, "whole_process")
    modules_dir = make_modules(paths.fixtures_dir(build_dir), os.path.join(work, "modules"), count)
    export = os.path.join(work, "hyperfine.json")
    runs = QUICK_RUNS if quick else RUNS
    cmds = commands(exe, os.path.abspath(impl), modules_dir, count)
    cmd = hyperfine_command(cmds, export, WARMUP, runs)
    progress.phase(
        f"whole-process benchmark: hyperfine, {len(cmds)} x {runs} runs of a process "
        f"loading {count} modules"
    )
    log_path = os.path.join(work, "hyperfine.log")
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
        except subprocess.TimeoutExpired:
            raise HarnessError(f"hyperfine took more than {timeout_s} s; log: {log_path}") from None
    if proc.returncode != 0:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            tail = "".join(f.readlines()[-15:])
        raise HarnessError(
            f"hyperfine exited with {proc.returncode} (a timed process failed?); "
            f"log: {log_path}\n{tail}"
        )
    with open(export, encoding="utf-8") as f:
        record = parse_export(json.load(f), tuple(cmds))
    for name, argv in cmds.items():
        record["commands"][name]["argv"] = argv
    shutil.rmtree(modules_dir, ignore_errors=True)
    record.update(
        tool=hyperfine_version(),
        modules=count,
        warmup=WARMUP,
        runs=runs,
        budget=None,
        note=NOTE,
        export=export,
        log=log_path,
    )
    return record
