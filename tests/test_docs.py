"""The README and CI entry point say what the command does: the two set-up commands come first,
every certify option and exit code is documented, and CI runs the README's test command."""
import os
import re

from conftest import REPO_ROOT
from coremodlib import cli


def read(path):
    with open(os.path.join(REPO_ROOT, path), encoding="utf-8") as f:
        return f.read()


def test_readme_opens_with_the_two_commands():
    first_lines = "\n".join(read("README.md").splitlines()[:6])
    assert "./scripts/coremod certify" in first_lines
    assert "./scripts/coremod test" in first_lines


def test_readme_documents_every_certify_option_and_exit_code():
    readme = read("README.md")
    certify = cli.build_parser()._subparsers._group_actions[0].choices["certify"]
    for action in certify._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert f"`{option}" in readme, option
    for code in "0123":
        assert re.search(rf"^\| {code} \|", readme, re.M), code


def test_readme_points_to_the_other_documents():
    readme = read("README.md")
    for doc in ("conformance/SPEC.md", "docs/harness-interfaces.md", "perf/README.md",
                "fixtures/README.md"):
        assert doc in readme, doc


def _readme_command(verb):
    """The README's first-lines command for `verb` (certify or test), without its comment."""
    for line in read("README.md").splitlines()[:6]:
        if line.startswith(f"./scripts/coremod {verb}"):
            return line.split("#")[0].strip()
    raise AssertionError(f"no ./scripts/coremod {verb} command in the README's first lines")


def test_ci_runs_the_readme_test_command():
    ci = read(".ci/run")
    assert ci.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in ci
    command = _readme_command("test")
    assert "--arch all" in command, "the test command covers AArch64 too (issue 3)"
    assert re.search(rf"^{re.escape(command)}(\s|$)", ci, re.M), command
    assert os.access(os.path.join(REPO_ROOT, ".ci", "run"), os.X_OK)
