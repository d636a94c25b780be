"""Runs the benchmark runner (`coremod-bench --out FILE`) against a candidate and reads its results
(JSON, schema coremod-bench/1, docs/harness-interfaces.md). The runner only measures; verdicts are
made by gates.py from the raw samples.
"""
import json
import os
import signal
import subprocess
import time

from coremodlib.errors import HarnessError
from coremodlib.run.suite import candidate_env

SCHEMA = "coremod-bench/1"
DEFAULT_TIMEOUT_S = 1800


def read_results(path):
    """The parsed results file, checked against the schema (HarnessError if it is not)."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as exc:
        raise HarnessError(f"cannot read benchmark results {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise HarnessError(f"{path}: schema is not {SCHEMA!r}")
    operations = doc.get("operations")
    if not isinstance(operations, list):
        raise HarnessError(f"{path}: 'operations' is not a list")
    for number, op in enumerate(operations):
        if not isinstance(op, dict) or not isinstance(op.get("name"), str):
            raise HarnessError(f"{path}: operation #{number} has no name")
        if "error" in op:
            continue  # measured nothing: {"name", "error"}
        samples = op.get("samples")
        if not isinstance(samples, list) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in samples
        ):
            raise HarnessError(
                f"{path}: operation {op['name']}: 'samples' is not a list of " f"numbers"
            )
        if not isinstance(op.get("unit"), str):
            raise HarnessError(f"{path}: operation {op['name']}: no unit")
    return doc


def operations_by_name(doc):
    return {op["name"]: op for op in doc["operations"]}


def _tail(path, lines=25):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def command(exe, out_path, samples=None, quick=False, only=None):
    cmd = [exe, "--out", out_path]
    if samples is not None:
        cmd += ["--samples", str(samples)]
    if quick:
        cmd.append("--quick")
    if only:
        cmd += ["--only", ",".join(only)]
    return cmd


def run(
    exe,
    impl,
    fixtures_dir,
    out_path,
    log_path,
    progress,
    samples=None,
    quick=False,
    extra_env=None,
    timeout_s=DEFAULT_TIMEOUT_S,
    only=None,
    label="measuring performance",
):
    """Runs the benchmarks once (`only`: these operations); returns (parsed results, elapsed
    seconds). `label` None: no phase line of its own (the caller announced the work)."""
    if not os.access(exe, os.X_OK):
        raise HarnessError(f"benchmark runner not found or not executable: {exe}")
    for stale in (out_path, log_path):
        if os.path.exists(stale):
            os.remove(stale)
    cmd = command(exe, out_path, samples=samples, quick=quick, only=only)
    if label:
        progress.phase(f"{label}: " + " ".join(cmd[1:]))
    else:
        progress.update(" ".join(cmd[1:]))
    start = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd,
            env=candidate_env(impl, fixtures_dir, extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while True:
                try:
                    proc.wait(timeout=1.0)
                    break
                except subprocess.TimeoutExpired:
                    elapsed = time.monotonic() - start
                    progress.update(f"benchmarks: {elapsed:.0f} s")
                    if elapsed > timeout_s:
                        os.killpg(proc.pid, signal.SIGKILL)
                        proc.wait()
                        raise HarnessError(
                            f"coremod-bench did not finish in {timeout_s} s; "
                            f"killed. Log: {log_path}"
                        ) from None
        except BaseException:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            raise
    progress.finish()
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        # The runner records a candidate's failed calls in the results and still exits 0; a
        # non-zero exit or a signal means the runner itself could not finish.
        how = (
            f"was killed by signal {-proc.returncode}"
            if proc.returncode < 0
            else f"exited with code {proc.returncode}"
        )
        raise HarnessError(
            f"coremod-bench {how}; no performance verdict can be given.\n"
            f"Log: {log_path}\n--- last lines ---\n{_tail(log_path)}"
        )
    return read_results(out_path), elapsed
