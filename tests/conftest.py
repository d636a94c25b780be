"""Shared set-up of coremod's own tests.

Builds are slow on a 2-core machine, so each build directory is made once per session and shared:
the main one is build/coremod, the very directory `coremod certify` uses (override the root with
COREMOD_TEST_BUILD_ROOT or `coremod test --build-root DIR`).
"""
import json
import os
import subprocess
import sys
import tomllib

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(TESTS_DIR)
if os.path.join(REPO_ROOT, "scripts") not in sys.path:
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))

from coremodlib import paths  # noqa: E402
from coremodlib.run import build  # noqa: E402
from coremodlib.progress import Progress  # noqa: E402

COREMOD = os.path.join(REPO_ROOT, "scripts", "coremod")
BROKEN_MANIFEST = os.path.join(REPO_ROOT, "fixtures", "broken-impls", "manifest.toml")
ALT_MANIFEST = os.path.join(REPO_ROOT, "fixtures", "alt-impls", "manifest.toml")

ASAN_OPTIONS = {"b_sanitize": "address,undefined", "b_lundef": "false"}
TSAN_OPTIONS = {"b_sanitize": "thread", "b_lundef": "false"}
# Make every sanitizer finding fatal, so a finding fails the case or the run instead of scrolling
# past in a log.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:halt_on_error=1",
    "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
    "TSAN_OPTIONS": "halt_on_error=1:second_deadlock_stack=1",
}


def build_root():
    return os.environ.get("COREMOD_TEST_BUILD_ROOT") or os.path.join(REPO_ROOT, "build")


# The TSan build runs nothing but impl's three exercise drivers (test_sanitizers.py), which load
# the fixtures of fixtures/modules and fixtures/bad; the Criterion suite, the broken, alt, slow
# and profile implementations and the benchmarks are never run there, so they are not compiled
# (half the objects of a full build). The ASan build stays whole: certify compiles all of it.
TSAN_DRIVERS = (
    "impl/coremod-exercise",
    "impl/coremod-optimization-exercise",
    "impl/coremod-debugger-exercise",
)
TSAN_FIXTURE_DIRS = ("fixtures/modules", "fixtures/bad")


def make_build(name, options=None, targets=()):
    """Configures and compiles build_root()/name (incremental when it exists); only `targets`
    (meson compile's [PATH/]NAME[:TYPE]) when given."""
    progress = Progress(stream=sys.stderr, tty=False)
    return build.ensure_built(
        os.path.join(build_root(), name), progress, options=options, targets=targets
    )


def targets_defined_in(build_dir, subdirs):
    """meson compile's PATH/NAME:TYPE of every target the meson.build of `subdirs` (source
    directories relative to the repository) defines, as a configured `build_dir` lists them."""
    listed = subprocess.run(
        ["meson", "introspect", "--targets", build_dir],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    wanted = {os.path.join(REPO_ROOT, d, "meson.build"): d for d in subdirs}
    return [
        f"{wanted[t['defined_in']]}/{t['name']}:{t['type'].replace(' ', '_')}"
        for t in json.loads(listed.stdout)
        if t["defined_in"] in wanted
    ]


def run_coremod(*args, timeout=3600, env=None, cwd=None):
    """Runs scripts/coremod as a user would; returns the CompletedProcess (text output)."""
    return subprocess.run(
        [COREMOD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd or REPO_ROOT,
        check=False,
    )


def broken_manifest():
    """[(table name, entry)] of fixtures/broken-impls/manifest.toml ([] when it is absent; a
    separate test requires it)."""
    if not os.path.exists(BROKEN_MANIFEST):
        return []
    with open(BROKEN_MANIFEST, "rb") as f:
        data = tomllib.load(f)
    return sorted((name, entry) for name, entry in data.items() if isinstance(entry, dict))


@pytest.fixture(scope="session")
def api_document():
    """The text of the API document (paths.api_document()). A clone without it skips the tests
    that read it instead of failing them: the document is not part of the repository."""
    path = paths.api_document()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        pytest.skip(f"API document not found at {path} (set {paths.API_DOCUMENT_ENV} to its path)")


@pytest.fixture(scope="session")
def main_build():
    return make_build("coremod")


@pytest.fixture(scope="session")
def asan_build():
    return make_build("test-asan", ASAN_OPTIONS)


@pytest.fixture(scope="session")
def tsan_build():
    build_dir = make_build("test-tsan", TSAN_OPTIONS, targets=TSAN_DRIVERS)
    fixtures = targets_defined_in(build_dir, TSAN_FIXTURE_DIRS)
    assert fixtures, f"no fixture targets found in {build_dir}"
    return make_build("test-tsan", TSAN_OPTIONS, targets=fixtures)
