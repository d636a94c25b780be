"""A background load of N busy processes, for measuring how the gates behave when the machine's
load changes (`coremod calibrate --load`, the nightly test that starts a load between two nights).

The load is Debian's stress-ng: `--cpu N` workers, each spinning on integer arithmetic at full
speed (`--cpu-load 100`), in a session of their own so that stopping the load stops every worker.
On the 2-core VM, 1 worker takes one core from the benchmarks, 2 take both (the load average goes
to 1 and 2 beside the runner's own).

`cycling()` changes the load while a measurement runs (`coremod calibrate --ab`): every period
the next level of the list, on a clock of its own, so that a change falls anywhere, between two
rounds or between the two builds' processes of one round, as a neighbour's job starts and ends.
"""
import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time

from coremodlib.errors import HarnessError

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


def _require():
    if shutil.which(PACKAGE) is None:
        raise HarnessError(
            f"a background load needs {PACKAGE} (Debian package {PACKAGE}; "
            f"`coremod bootstrap --for calibrate` installs it)"
        )


def _start(workers):
    """stress-ng with `workers` workers, settled (HarnessError if it exits at once)."""
    proc = subprocess.Popen(
        command(workers),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(SETTLE_S)
    if proc.poll() is not None:
        raise HarnessError(
            f"{PACKAGE} exited at once (code {proc.returncode}): " f"{' '.join(command(workers))}"
        )
    return proc


def _stop(proc):
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextlib.contextmanager
def busy(workers):
    """Runs `workers` busy processes for the duration of the block (none for 0)."""
    if workers == 0:
        yield None
        return
    _require()
    proc = None
    try:
        proc = _start(workers)
        yield proc
    finally:
        _stop(proc)


class Cycle:
    """The levels a cycling() load went through: `changes` [(seconds since the start, level)]."""

    def __init__(self, levels, period_s):
        self.levels, self.period_s = list(levels), period_s
        self.changes, self.error = [], None
        self._done = threading.Event()
        self._started = time.monotonic()

    def _run(self):
        proc, index = None, 0
        try:
            while True:
                level = self.levels[index % len(self.levels)]
                if index == 0 or level != self.levels[(index - 1) % len(self.levels)]:
                    _stop(proc)
                    proc = _start(level) if level else None
                    self.changes.append((round(time.monotonic() - self._started, 3), level))
                index += 1
                if self._done.wait(self.period_s):
                    break
        except HarnessError as exc:
            self.error = exc
        finally:
            _stop(proc)


@contextlib.contextmanager
def cycling(levels, period_s):
    """For the duration of the block, `levels[0]` busy processes, then every `period_s` seconds
    the next level of the list, round and round. Yields the Cycle (its `changes`); a load that
    could not start is raised when the block ends."""
    if period_s <= 0:
        raise HarnessError(f"a load period must be positive seconds, not {period_s}")
    if any(levels):
        _require()
    cycle = Cycle(levels, period_s)
    thread = threading.Thread(target=cycle._run, name="background-load", daemon=True)
    thread.start()
    try:
        yield cycle
    finally:
        cycle._done.set()
        thread.join()
    if cycle.error:
        raise cycle.error
