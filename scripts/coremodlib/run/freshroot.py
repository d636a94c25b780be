"""The fresh-machine test: the README's commands, exactly as written, on a minimal Debian 12 root.

A developer's machine and CI's keep whatever earlier sessions installed, which hides missing
install steps (a green CI once hid two). So this builds a root that has only what Debian's
`mmdebstrap --variant=apt` puts there (no python3, no gcc), puts a clean clone of the committed
HEAD in it (and a copy of ../shared/ beside it, as in CI), and runs each command of the README's
first code block in a chroot, as root, with /proc, /sys and /dev mounted.

- The root tarball is cached outside the repository (CACHE/<name>.tar, rebuilt after MAX_AGE or
  when its recipe changes), and so are the .deb files apt downloads in it (CACHE/apt-archives,
  bind-mounted on the root's /var/cache/apt/archives): a warm run downloads nothing, yet every
  package is still installed by the project's own commands.
- Every mount is made inside a private mount namespace (unshare --mount) that dies with the
  command, so no mount outlives it, even when it is killed; the work directory is removed only
  after checking that nothing is mounted below it. binfmt_misc is the host kernel's (the AArch64
  tests register qemu there, as on the host).
- The chroot gets a clean environment (PATH, HOME, LANG, TERM, and CI when set): nothing of the
  caller's shell leaks in.

Standard library only: it runs on the host, where bootstrap installs only mmdebstrap for it.
"""
import codecs
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from coremodlib import paths
from coremodlib.errors import HarnessError

SUITE = "bookworm"  # Debian 12
VARIANT = "apt"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
DEFAULT_SECURITY_MIRROR = "http://deb.debian.org/debian-security"
DEFAULT_MAX_AGE_DAYS = 7
DEFAULT_TIMEOUT_MIN = 60
TAIL_LINES = 40
CHROOT_SRC = "/root/src"  # where the clone (and shared/ beside it) live inside the root
# Set in the chroot's environment, so that tests can tell they run in a fresh root (and do not
# make another one inside it).
MARKER_VARIABLE = "COREMOD_FRESH_ROOT"
CHROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# pytest's closing summary line, e.g. "==== 612 passed, 3 skipped in 1033.21s (0:17:13) ====".
PYTEST_SUMMARY = re.compile(
    r"^=+ .*\b(passed|failed|error|errors|skipped|deselected)\b.* in " r"[0-9.]+s.*=+$"
)


def default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "coremod", "fresh-machine")


def readme_commands(readme_text):
    """The commands of the README's first ```sh block, comments stripped: what a new user runs."""
    match = re.search(r"^```sh\n(.*?)^```", readme_text, re.M | re.S)
    if not match:
        raise HarnessError("README.md has no ```sh code block to take the commands from")
    commands = []
    for line in match.group(1).splitlines():
        command = re.sub(r"\s+#.*$", "", line).strip()
        if command and not command.startswith("#"):
            commands.append(command)
    if not commands:
        raise HarnessError("README.md's first ```sh code block holds no command")
    return commands


def sources(mirror, security_mirror):
    """The apt sources of a fresh Debian 12 installation: main, updates and security."""
    return [
        f"deb {mirror} {SUITE} main",
        f"deb {mirror} {SUITE}-updates main",
        f"deb {security_mirror} {SUITE}-security main",
    ]


def mmdebstrap_command(tarball, source_lines):
    return [
        "mmdebstrap",
        f"--variant={VARIANT}",
        "--mode=root",
        "--format=tar",
        SUITE,
        tarball,
        *source_lines,
    ]


def pytest_summary(lines):
    """The last pytest closing summary line among `lines`, or None."""
    for line in reversed(lines):
        if PYTEST_SUMMARY.match(line.strip()):
            return line.strip()
    return None


def namespace_script(root, cwd, command, apt_cache=None, env=None):
    """The shell script run by `unshare --mount --propagation private`: mount, then chroot.

    Mounts made here exist only in that namespace and vanish with its last process."""
    q = _quote
    lines = [
        "set -e",
        f"mount -t proc proc {q(root + '/proc')}",
        f"mount --rbind /sys {q(root + '/sys')}",
        f"mount --rbind /dev {q(root + '/dev')}",
    ]
    if apt_cache:
        lines.append(f"mount --bind {q(apt_cache)} {q(root + '/var/cache/apt/archives')}")
    assignments = " ".join(q(f"{k}={v}") for k, v in sorted((env or {}).items()))
    inner = f"cd {q(cwd)} && {command}"
    lines.append(f"exec chroot {q(root)} /usr/bin/env -i {assignments} /bin/sh -c {q(inner)}")
    return "\n".join(lines) + "\n"


def _quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def chroot_env():
    env = {
        "PATH": CHROOT_PATH,
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "DEBIAN_FRONTEND": "noninteractive",
        MARKER_VARIABLE: "1",
    }
    if os.environ.get("CI"):
        env["CI"] = os.environ["CI"]
    return env


@dataclasses.dataclass
class Outcome:
    command: str
    exit_code: int
    seconds: float
    log_path: str
    tail: list
    timed_out: bool = False


def _mounts_below(directory):
    """Mount points at or below `directory` in this process's mount namespace."""
    directory = os.path.realpath(directory)
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        for line in f:
            point = line.split()[4].replace("\\040", " ")
            if point == directory or point.startswith(directory + "/"):
                found.append(point)
    return found


def _processes_rooted_in(root):
    """PIDs of processes whose root directory is `root` (stragglers of a chroot)."""
    root = os.path.realpath(root)
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{entry}/root") == root:
                pids.append(int(entry))
        except OSError:
            continue
    return pids


def _kill_processes_rooted_in(root):
    for pid in _processes_rooted_in(root):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


class FreshRoot:
    """One fresh root: made by prepare(), used by run(), removed by cleanup()."""

    def __init__(
        self,
        repo,
        cache_dir,
        progress,
        workdir_parent="/var/tmp",
        shared=None,
        mirror=DEFAULT_MIRROR,
        security_mirror=DEFAULT_SECURITY_MIRROR,
        max_age_days=DEFAULT_MAX_AGE_DAYS,
        refresh=False,
        apt_cache=True,
    ):
        self.repo = repo
        self.cache_dir = cache_dir
        self.progress = progress
        self.workdir_parent = workdir_parent
        self.shared = shared
        self.sources = sources(mirror, security_mirror)
        self.max_age_s = max_age_days * 86400
        self.refresh = refresh
        self.apt_cache = os.path.join(cache_dir, "apt-archives") if apt_cache else None
        self.work = None
        self.root = None
        self.clone_dir = None
        self.commit = None

    # ---- the root tarball -------------------------------------------------------------------

    def _tarball(self):
        os.makedirs(self.cache_dir, exist_ok=True)
        tarball = os.path.join(self.cache_dir, f"debian-{SUITE}-{VARIANT}.tar")
        meta_path = tarball + ".json"
        recipe = {"command": mmdebstrap_command("TARBALL", self.sources)}
        try:
            with open(meta_path, encoding="utf-8") as f:
                meta = json.load(f)
        except (OSError, ValueError):
            meta = {}
        fresh_enough = (
            os.path.exists(tarball)
            and meta.get("recipe") == recipe
            and time.time() - meta.get("created", 0) < self.max_age_s
        )
        if fresh_enough and not self.refresh:
            self.progress.note(f"root tarball: cached {tarball}")
            return tarball, 0.0
        self.progress.phase(f"making a fresh Debian 12 root with mmdebstrap ({tarball})")
        started = time.monotonic()
        partial = tarball + ".partial"
        try:
            result = subprocess.run(
                mmdebstrap_command(partial, self.sources),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                check=False,
            )
        except BaseException:
            _remove(partial)
            raise
        if result.returncode != 0:
            _remove(partial)
            raise HarnessError(
                "mmdebstrap failed (exit %d):\n%s"
                % (result.returncode, "\n".join(result.stdout.splitlines()[-TAIL_LINES:]))
            )
        os.replace(partial, tarball)
        with open(meta_path, "w", encoding="utf-8") as f:
            json.dump({"recipe": recipe, "created": time.time()}, f)
        return tarball, time.monotonic() - started

    # ---- the work directory -----------------------------------------------------------------

    def prepare(self):
        """Unpacks the root and puts the clone (and shared/) in it; returns the tarball's build
        time in seconds (0 when it came from the cache)."""
        self.commit = _git(self.repo, "rev-parse", "HEAD").strip()
        if _git(self.repo, "status", "--porcelain", "--untracked-files=no").strip():
            self.progress.note(
                "the work tree has uncommitted changes: they are not in the "
                "fresh root, which gets the committed HEAD " + self.commit[:12]
            )
        tarball, made_s = self._tarball()
        os.makedirs(self.workdir_parent, exist_ok=True)
        self.work = tempfile.mkdtemp(prefix="coremod-fresh-", dir=self.workdir_parent)
        self.root = os.path.join(self.work, "root")
        os.mkdir(self.root)
        self.progress.phase(f"unpacking the root into {self.root}")
        subprocess.run(
            ["tar", "-C", self.root, "--numeric-owner", "-xpf", tarball],
            check=True,
            stdin=subprocess.DEVNULL,
        )
        shutil.copyfile("/etc/resolv.conf", os.path.join(self.root, "etc", "resolv.conf"))
        src = self.root + CHROOT_SRC
        os.makedirs(src, exist_ok=True)
        name = os.path.basename(os.path.realpath(self.repo))
        self.clone_dir = os.path.join(src, name)
        self.progress.phase(f"cloning HEAD {self.commit[:12]} into the root")
        subprocess.run(
            [
                "git",
                "clone",
                "--quiet",
                "--no-hardlinks",
                "--no-checkout",
                self.repo,
                self.clone_dir,
            ],
            check=True,
            stdin=subprocess.DEVNULL,
        )
        _git(self.clone_dir, "checkout", "--quiet", "--detach", self.commit)
        if self.shared:
            shutil.copytree(self.shared, os.path.join(src, "shared"), symlinks=True)
        if self.apt_cache:
            os.makedirs(self.apt_cache, exist_ok=True)
        return made_s

    # ---- running ----------------------------------------------------------------------------

    def run(self, command, log_path, timeout_s, echo=sys.stdout):
        """Runs `command` in the clone inside the root; streams its output to `echo` and
        `log_path`; returns an Outcome."""
        inside = CHROOT_SRC + "/" + os.path.basename(self.clone_dir)
        script = namespace_script(self.root, inside, command, self.apt_cache, chroot_env())
        started = time.monotonic()
        timed_out = threading.Event()
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.Popen(
                ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

            def expire():
                timed_out.set()
                _kill_group(proc)

            timer = threading.Timer(timeout_s, expire)
            timer.start()
            # Chunks, not lines: pytest's progress dots show as they come, not when a line ends.
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            try:
                while True:
                    chunk = proc.stdout.read1(65536)
                    if not chunk:
                        break
                    text = decoder.decode(chunk)
                    log.write(text)
                    echo.write(text)
                    echo.flush()
                proc.wait()
            except BaseException:
                _kill_group(proc)
                raise
            finally:
                timer.cancel()
                _kill_processes_rooted_in(self.root)
        with open(log_path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        code = proc.returncode if not timed_out.is_set() else 124
        return Outcome(
            command, code, time.monotonic() - started, log_path, lines, timed_out.is_set()
        )

    def cleanup(self):
        if not self.work:
            return
        if self.root:
            _kill_processes_rooted_in(self.root)
        left = _mounts_below(self.work)
        if left:
            raise HarnessError(
                f"not removing {self.work}: still mounted below it: " + ", ".join(left)
            )
        shutil.rmtree(self.work)
        self.work = None


def _kill_group(proc):
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()


def _git(repo, *args):
    result = subprocess.run(
        ["git", "-C", repo, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise HarnessError(f"git {' '.join(args)} in {repo} failed: {result.stderr.strip()}")
    return result.stdout


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _raise_interrupt(_signum, _frame):
    raise KeyboardInterrupt


def check_readme_commands(
    progress,
    cache_dir,
    shared,
    keep=False,
    commands=None,
    timeout_s=DEFAULT_TIMEOUT_MIN * 60,
    **root_options,
):
    """The fresh-machine test; returns the exit code (0: every command exited 0)."""
    if os.geteuid() != 0:
        raise HarnessError(
            "the fresh-machine test needs root (mmdebstrap, chroot and mounts); "
            "run it as root, e.g. with sudo"
        )
    for tool in ("mmdebstrap", "unshare", "chroot", "tar", "git"):
        if shutil.which(tool) is None:
            raise HarnessError(f"the fresh-machine test needs {tool}, which is not installed")
    repo = paths.REPO_ROOT
    if commands is None:
        with open(os.path.join(repo, "README.md"), encoding="utf-8") as f:
            commands = readme_commands(f.read())
    # CI ends a run with SIGTERM: take it as an interrupt, so the root is cleaned up.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    fresh = FreshRoot(repo, cache_dir, progress, shared=shared, **root_options)
    outcomes = []
    started = time.monotonic()
    try:
        made_s = fresh.prepare()
        progress.finish()
        for index, command in enumerate(commands, 1):
            print(f"fresh-machine: [{index}/{len(commands)}] {command}", flush=True)
            log_path = os.path.join(fresh.work, f"command-{index}.log")
            outcomes.append(fresh.run(command, log_path, timeout_s))
    finally:
        if keep:
            print(f"fresh-machine: kept the root in {fresh.work}")
        else:
            fresh.cleanup()
        signal.signal(signal.SIGTERM, previous)
    return _summarise(outcomes, fresh.commit, made_s, time.monotonic() - started)


def _summarise(outcomes, commit, made_s, total_s):
    failed = [o for o in outcomes if o.exit_code != 0]
    print()
    print(
        f"fresh-machine: HEAD {commit[:12]} on a fresh Debian 12 root ("
        + (f"root made in {made_s:.0f} s" if made_s else "root from the cache")
        + f"), {total_s:.0f} s in all"
    )
    for o in outcomes:
        state = "timed out" if o.timed_out else f"exit {o.exit_code}"
        print(f"fresh-machine:   {o.command}: {state} in {o.seconds:.0f} s")
    for o in failed:
        print(f"\nfresh-machine: the last {TAIL_LINES} lines of `{o.command}`:")
        for line in o.tail[-TAIL_LINES:]:
            print("  " + line)
    print(
        "fresh-machine: "
        + (
            "FAILED: " + ", ".join(o.command for o in failed)
            if failed
            else "every command exited 0"
        )
    )
    # pytest's closing summary line stays the last line printed (CI reads it).
    summary = pytest_summary([line for o in outcomes for line in o.tail])
    if summary:
        print(summary)
    return 1 if failed else 0
