"""Where things are: the repository, default directories, and the build outputs other parts provide.

The build-output paths are the contract of docs/harness-interfaces.md ("Build outputs"); they are
spelled once, here.
"""
import os
import re

SCRIPTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(SCRIPTS_DIR)

DEFAULT_BUILD_DIR = os.path.join(REPO_ROOT, "build", "coremod")
# Default output directories, one per command that writes reports (all git-ignored).
DEFAULT_OUT_DIR = os.path.join(REPO_ROOT, "reports", "latest")  # certify
GATE_OUT_DIR = os.path.join(REPO_ROOT, "reports", "gate")
NIGHTLY_OUT_DIR = os.path.join(REPO_ROOT, "reports", "nightly")
CALIBRATE_OUT_DIR = os.path.join(REPO_ROOT, "reports", "calibrate")
INSTRUCTIONS_OUT_DIR = os.path.join(REPO_ROOT, "reports", "instructions")
COVERAGE_OUT_DIR = os.path.join(REPO_ROOT, "reports", "coverage")
HISTORY_FILE = os.path.join(REPO_ROOT, "reports", "history.sqlite")  # gate, nightly, report
COVERAGE_BUILD_DIR = os.path.join(REPO_ROOT, "build", "coverage")
BUDGETS_FILE = os.path.join(REPO_ROOT, "perf", "budgets.toml")
# Committed baselines: stored gate samples (gate --save-baseline NAME) and instruction counts.
BASELINES_DIR = os.path.join(REPO_ROOT, "perf", "baselines")
TESTS_DIR = os.path.join(REPO_ROOT, "tests")

# The Core Module System API document lives outside the repository and is never copied into it;
# the tests that read it find it here and are skipped where it is absent.
API_DOCUMENT_ENV = "COREMOD_API_DOCUMENT"
DEFAULT_API_DOCUMENT = os.path.normpath(
    os.path.join(REPO_ROOT, "..", "shared", "spec", "core-module-system-api.md")
)


def api_document():
    """The path of the API document: $COREMOD_API_DOCUMENT, else DEFAULT_API_DOCUMENT."""
    return os.environ.get(API_DOCUMENT_ENV) or DEFAULT_API_DOCUMENT


# How a recorded machine is replayed: the Python side of impl/include/coremod_replay.h
# (docs/harness-interfaces.md, "Replaying a recorded machine").
TOPOLOGY_FIXTURES_DIR = os.path.join(REPO_ROOT, "fixtures", "topology")
SYSFS_ROOT_ENV = "COREMOD_SYSFS_ROOT"
SYSCTL_FILE_ENV = "COREMOD_SYSCTL_FILE"
REPLAY_ENV_VARS = (SYSFS_ROOT_ENV, SYSCTL_FILE_ENV)
REPLAY_SYSFS_DIR = "root"
REPLAY_SYSCTL_NAME = "sysctl.txt"
REPLAY_EXPECTED_NAME = "expected.json"

# Earlier revisions built for `gate --against` and nightly's A/B runs: <dir>/<commit>/src (the
# revision's files, from git archive) and <dir>/<commit>/build.
REVISIONS_DIR = os.path.join(REPO_ROOT, "build", "revisions")
# The meson target of the reference implementation's shared library (impl/meson.build).
REFERENCE_TARGET = "impl/coremod:shared_library"


def reference_impl(build_dir):
    """The reference implementation, the default candidate."""
    return os.path.join(build_dir, "impl", "libcoremod.so")


def suite_executable(build_dir):
    return os.path.join(build_dir, "conformance", "coremod-conformance")


def bench_executable(build_dir):
    return os.path.join(build_dir, "perf", "coremod-bench")


def fixtures_dir(build_dir):
    return os.path.join(build_dir, "fixtures")


def broken_impls_dir(build_dir):
    return os.path.join(build_dir, "fixtures", "broken-impls")


def slow_impls_dir(build_dir):
    """The reference with one operation made 20 % slower (fixtures/slow-impls/)."""
    return os.path.join(build_dir, "fixtures", "slow-impls")


def profile_impls_dir(build_dir):
    """Candidates of some API areas only (fixtures/profile-impls/): libcore_only.so."""
    return os.path.join(build_dir, "fixtures", "profile-impls")


def alt_impls_dir(build_dir):
    """Implementations that differ from the reference only in coremod-level choices
    (fixtures/alt-impls/, listed in its manifest.toml)."""
    return os.path.join(build_dir, "fixtures", "alt-impls")


def exercise_executable(build_dir):
    """impl's coremod-exercise driver (argv[1]: fixtures build dir), run under valgrind/TSan."""
    return os.path.join(build_dir, "impl", "coremod-exercise")


def harness_version():
    """The project's version from the top-level meson.build: one number for library and harness."""
    try:
        with open(os.path.join(REPO_ROOT, "meson.build"), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return "unknown"
    match = re.search(r"project\s*\([^)]*?version\s*:\s*'([^']+)'", text, re.S)
    return match.group(1) if match else "unknown"
