"""End-to-end build of the project: every output the harness relies on exists and the reference
exports the whole API (docs/harness-interfaces.md, 'Build outputs')."""
import os
import re
import subprocess

import pytest

from conftest import REPO_ROOT
from coremodlib import paths

pytestmark = pytest.mark.e2e


def api_functions():
    """Function names of the core API, from the binding's X-macro list (one source of truth)."""
    header = os.path.join(REPO_ROOT, "conformance", "binding", "candidate_api.h")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    names = re.findall(r"X\([^,]+,\s*(module_\w+),", text)
    assert len(names) >= 10
    return names


def test_build_produces_every_contract_output(main_build):
    expected = [
        paths.reference_impl(main_build),
        os.path.join(main_build, "impl", "libcoremod.a"),
        paths.suite_executable(main_build),
        paths.bench_executable(main_build),
        paths.exercise_executable(main_build),
        os.path.join(paths.fixtures_dir(main_build), "modules", "example_module.so"),
        os.path.join(paths.fixtures_dir(main_build), "bad", "foreign_arch.so"),
        paths.broken_impls_dir(main_build),
    ]
    absent = [p for p in expected if not os.path.exists(p)]
    assert not absent, f"missing build outputs: {absent}"


def test_reference_exports_every_api_function(main_build):
    result = subprocess.run(
        ["nm", "-D", "--defined-only", paths.reference_impl(main_build)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    exported = {line.split()[-1] for line in result.stdout.splitlines() if line.strip()}
    missing = [name for name in api_functions() if name not in exported]
    assert not missing, f"libcoremod.so does not export {missing}"


def test_a_second_build_has_nothing_to_do(main_build):
    """The build is reproducible from its own description: nothing is left stale or rebuilt."""
    result = subprocess.run(
        ["ninja", "-C", main_build, "-n"], stdout=subprocess.PIPE, text=True, check=True
    )
    assert "no work to do" in result.stdout
