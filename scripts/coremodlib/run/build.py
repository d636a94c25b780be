"""Builds the project with meson: set up the build directory if needed, reconfigure it when the
requested options differ from its current ones, then compile.

On a terminal ninja's own progress line is shown; otherwise the output goes to a log file in the
build directory and its tail is quoted if the build fails.
"""
import configparser
import json
import os
import subprocess

from coremodlib import paths
from coremodlib.errors import HarnessError

BUILD_LOG_NAME = "coremod-build.log"


def _run(cmd, progress, log_path, cwd=None):
    """Runs a meson/ninja command; returns its exit code. Output to the terminal or to log_path."""
    progress.note("$ " + " ".join(cmd))
    try:
        if progress.tty:
            progress.finish()
            return subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, check=False).returncode
        with open(log_path, "a", encoding="utf-8") as log:
            log.write("$ " + " ".join(cmd) + "\n")
            log.flush()
            return subprocess.run(
                cmd,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            ).returncode
    except FileNotFoundError as exc:
        raise HarnessError(f"{cmd[0]} not found ({exc}); run ./scripts/coremod bootstrap") from exc


def _log_tail(log_path, lines=40):
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def _fail(what, log_path, progress):
    tail = "" if progress.tty else _log_tail(log_path)
    where = "" if progress.tty else f"\nfull log: {log_path}\n--- last lines ---\n{tail}"
    raise HarnessError(f"{what} failed{where}")


def is_configured(build_dir):
    return os.path.isfile(os.path.join(build_dir, "meson-private", "coredata.dat"))


def current_options(build_dir):
    """{option name: value as a string} of a configured build directory."""
    result = subprocess.run(
        ["meson", "introspect", "--buildoptions", build_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise HarnessError(f"meson introspect failed on {build_dir}: {result.stderr.strip()}")
    return {opt["name"]: option_text(opt["value"]) for opt in json.loads(result.stdout)}


def option_text(value):
    """Meson option values as the strings `-Dname=value` takes (bools lower-case, lists joined)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _is_cross(build_dir):
    """True when `build_dir` was set up with a cross file. Meson 1.0 (Debian 12) has no
    `introspect --machines`; the set-up command line it keeps names the cross files."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(build_dir, "meson-private", "cmd_line.txt"), encoding="utf-8")
    return bool(parser.get("properties", "cross_file", fallback="").strip("[] '\""))


def changed_options(wanted, current):
    """The subset of `wanted` whose value differs from `current`."""
    return {k: v for k, v in wanted.items() if current.get(k) != option_text(v)}


def _defines(options):
    return [f"-D{k}={option_text(v)}" for k, v in sorted(options.items())]


def ensure_built(
    build_dir,
    progress,
    buildtype=None,
    options=None,
    source_dir=paths.REPO_ROOT,
    cross_file=None,
    targets=(),
):
    """Configures (or reconfigures) and compiles `build_dir` (only `targets`, meson compile's
    [PATH/]NAME[:TYPE] names, when given). `options`: extra -D options;
    `cross_file`: a meson cross file, used when the directory is set up (a directory already set
    up for another machine is not converted: meson cannot, so it is set up again)."""
    wanted = dict(options or {})
    if buildtype:
        wanted["buildtype"] = buildtype
    build_dir = os.path.abspath(build_dir)
    os.makedirs(build_dir, exist_ok=True)
    log_path = os.path.join(build_dir, BUILD_LOG_NAME)
    open(log_path, "w", encoding="utf-8").close()  # this run's output only

    if is_configured(build_dir) and cross_file is not None and not _is_cross(build_dir):
        progress.phase(f"{build_dir} was set up natively; setting it up again with {cross_file}")
        if (
            _run(
                [
                    "meson",
                    "setup",
                    "--wipe",
                    build_dir,
                    source_dir,
                    "--cross-file",
                    os.path.abspath(cross_file),
                    *_defines(wanted),
                ],
                progress,
                log_path,
            )
            != 0
        ):
            _fail("meson setup --wipe", log_path, progress)
    if not is_configured(build_dir):
        progress.phase(f"configuring {build_dir}")
        # A directory left by a failed setup (no coredata yet) is set up again in place.
        cmd = ["meson", "setup", build_dir, source_dir, *_defines(wanted)]
        if cross_file is not None:
            cmd += ["--cross-file", os.path.abspath(cross_file)]
        if _run(cmd, progress, log_path) != 0:
            _fail("meson setup", log_path, progress)
    else:
        changes = changed_options(wanted, current_options(build_dir))
        if changes:
            progress.phase(
                f"reconfiguring {build_dir}: "
                + ", ".join(f"{k}={option_text(v)}" for k, v in changes.items())
            )
            if _run(["meson", "configure", build_dir, *_defines(changes)], progress, log_path) != 0:
                _fail("meson configure", log_path, progress)

    progress.phase(f"compiling {build_dir}")
    if _run(["meson", "compile", "-C", build_dir, *targets], progress, log_path) != 0:
        _fail("the build", log_path, progress)
    return build_dir


def require_outputs(build_dir, outputs):
    """Raises HarnessError listing the build outputs (contract paths) that do not exist."""
    absent = [p for p in outputs if not os.path.exists(p)]
    if absent:
        raise HarnessError(
            f"the build in {build_dir} did not produce: "
            + ", ".join(absent)
            + "\n(see docs/harness-interfaces.md, 'Build outputs')"
        )
