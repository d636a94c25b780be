"""Memory and thread checkers: the suite under ASan+UBSan, impl's coremod-exercise driver under
TSan and valgrind memcheck. Marked slow (`coremod test --fast` skips them): each sanitizer needs a
build of its own."""
import os
import subprocess

import pytest

from conftest import SANITIZER_ENV, run_coremod
from coremodlib import paths

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def test_suite_passes_against_asan_ubsan_reference(asan_build, tmp_path):
    """Everything built with -fsanitize=address,undefined (suite included, so no LD_PRELOAD);
    any sanitizer finding in a case makes that case fail or crash."""
    env = dict(os.environ, **SANITIZER_ENV)
    result = run_coremod(
        "certify", "--build-dir", asan_build, "--no-gates", "--out", str(tmp_path), env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with open(os.path.join(tmp_path, "conformance.log"), encoding="utf-8", errors="replace") as f:
        log = f.read()
    for marker in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
        assert marker not in log


# The drivers that exercise impl/ without Criterion (which cannot run under TSan), each with its
# argument: the core API's (fixtures build dir), the JIT/Cache/NUMA APIs' (recorded machines) and
# the debugger's (none: under valgrind, which does not emulate perf breakpoints, it checks the
# hardware kinds' "not supported" answer instead).
def _drivers(build_dir):
    return [
        (paths.exercise_executable(build_dir), paths.fixtures_dir(build_dir)),
        (
            os.path.join(build_dir, "impl", "coremod-optimization-exercise"),
            os.path.join(paths.REPO_ROOT, "fixtures", "topology"),
        ),
        (os.path.join(build_dir, "impl", "coremod-debugger-exercise"), None),
    ]


def run_exercise(build_dir, prefix=(), env=None, timeout=900, driver=0):
    exe, argument = _drivers(build_dir)[driver]
    assert os.path.exists(exe), f"{exe} not built"
    return subprocess.run(
        [*prefix, exe, *([argument] if argument is not None else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )


@pytest.mark.parametrize("driver", [0, 1, 2], ids=["core", "optimization", "debugger"])
def test_exercise_is_clean_under_tsan(tsan_build, driver):
    result = run_exercise(tsan_build, env=dict(os.environ, **SANITIZER_ENV), driver=driver)
    assert result.returncode == 0, result.stdout[-5000:]
    assert "WARNING: ThreadSanitizer" not in result.stdout


@pytest.mark.parametrize("driver", [0, 1, 2], ids=["core", "optimization", "debugger"])
def test_exercise_is_clean_under_valgrind(main_build, driver):
    result = run_exercise(
        main_build,
        prefix=(
            "valgrind",
            "--quiet",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect",
            "--error-exitcode=1",
        ),
        # valgrind checks memory, not races (TSan runs the full 100 rounds): 20 rounds per thread
        # of the threaded phase take the core run from 433 s to 261 s on a 2-core VM.
        env=dict(os.environ, COREMOD_EXERCISE_ITERATIONS="20"),
        driver=driver,
    )
    assert result.returncode == 0, result.stdout[-5000:]
