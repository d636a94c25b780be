"""A background load of N busy processes, for measuring how the gates behave when the machine's
load changes (`coremod calibrate --load`, the nightly test that starts a load between two nights).

The load is Debian's stress-ng: `--cpu N` workers, each spinning on integer arithmetic at full
speed (`--cpu-load 100`), in a session of their own so that stopping the load stops every worker.
On the 2-core VM, 1 worker takes one core from the benchmarks, 2 take both (the load average goes
to 1 and 2 beside the runner's own).
"""
import contextlib
import os
import shutil
import signal
import subprocess
import time

from .errors import HarnessError

PACKAGE = "stress-ng"
SETTLE_S = 1.0  # the workers are running, and the scheduler has spread them, before measuring


def command(workers):
    return [
        PACKAGE,
        "--cpu",
        str(workers),
        "--cpu-method",
        "int64",
        "--cpu-load",
        "100",
        "--quiet",
        "--timeout",
        "0",
    ]


def parse_levels(text):
    """'0,1,2' -> [0, 1, 2]: the busy processes of each run in turn (HarnessError if malformed)."""
    try:
        levels = [int(part) for part in text.split(",")]
    except ValueError:
        levels = None
    if not levels or any(level < 0 for level in levels):
        raise HarnessError(f"--load {text!r}: give busy-process counts, e.g. 0,1,2")
    return levels


@contextlib.contextmanager
def busy(workers):
    """Runs `workers` busy processes for the duration of the block (none for 0)."""
    if workers == 0:
        yield None
        return
    if shutil.which(PACKAGE) is None:
        raise HarnessError(
            f"a background load needs {PACKAGE} (Debian package {PACKAGE}; "
            f"`coremod bootstrap --for calibrate` installs it)"
        )
    proc = subprocess.Popen(
        command(workers),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(SETTLE_S)
        if proc.poll() is not None:
            raise HarnessError(
                f"{PACKAGE} exited at once (code {proc.returncode}): "
                f"{' '.join(command(workers))}"
            )
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
