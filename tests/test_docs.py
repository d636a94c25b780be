"""The README and CI entry point say what the command does: the two set-up commands come first,
the certify options are the command's own --help, every exit code is documented, the defaults
docs/gates.md states are the code's, and CI runs the README's test command."""
import os
import re
import subprocess
import sys

from conftest import REPO_ROOT
from coremodlib.run import freshroot
from coremodlib.run import rounds

SYNC_README_HELP = os.path.join(REPO_ROOT, "scripts", "sync-readme-help")


def read(path):
    with open(os.path.join(REPO_ROOT, path), encoding="utf-8") as f:
        return f.read()


def test_readme_opens_with_the_two_commands():
    first_lines = "\n".join(read("README.md").splitlines()[:6])
    assert "./scripts/coremod certify" in first_lines
    assert "./scripts/coremod test" in first_lines


def test_readme_certify_options_are_the_help_text():
    """The README's option blocks are regenerated from the live parser (`coremod certify --help`,
    at a fixed width): an option, default or wording changed in the code shows up here."""
    assert "<!-- coremod certify --help -->" in read("README.md")
    result = subprocess.run(
        [sys.executable, "-I", SYNC_README_HELP, "--check"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_readme_documents_every_certify_exit_code():
    readme = read("README.md")
    for code in "0123":
        assert re.search(rf"^\| {code} \|", readme, re.M), code


def test_gates_doc_states_the_rounds_defaults_of_the_code():
    gates_doc = read("docs/gates.md")
    for stated, name in (
        (f"`--rounds` rounds (default **{rounds.DEFAULT_MIN_ROUNDS}**)", "DEFAULT_MIN_ROUNDS"),
        (f"`--max-rounds` (default {rounds.DEFAULT_MAX_ROUNDS})", "DEFAULT_MAX_ROUNDS"),
        (
            f"in a process of their own, **{rounds.EVERY_SAMPLE_ROUNDS}** rounds",
            "EVERY_SAMPLE_ROUNDS",
        ),
    ):
        assert stated in gates_doc, f"docs/gates.md does not say {stated!r} (rounds.{name})"


def test_readme_points_to_the_other_documents():
    readme = read("README.md")
    for doc in (
        "conformance/SPEC.md",
        "docs/harness-interfaces.md",
        "perf/README.md",
        "fixtures/README.md",
    ):
        assert doc in readme, doc


def _readme_command(verb):
    """The README's first-lines command for `verb` (certify or test), without its comment."""
    for command in freshroot.readme_commands(read("README.md")):
        if command.startswith(f"./scripts/coremod {verb}"):
            return command
    raise AssertionError(f"no ./scripts/coremod {verb} command in the README's first lines")


def test_ci_runs_the_readme_commands_on_a_fresh_root():
    """CI runs the README's commands through the fresh-machine test, and not on its own machine
    (where installed packages would hide a missing install step)."""
    ci = read(".ci/run")
    assert ci.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in ci
    assert "--arch all" in _readme_command("test"), "the test command covers AArch64 too"
    live = [line for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert any(
        re.match(r"^\./scripts/coremod fresh-machine --shared \.\./shared(\s|$)", line)
        for line in live
    )
    for name in ("certify", "test"):
        assert not any(_readme_command(name) in line for line in live), name
    assert os.access(os.path.join(REPO_ROOT, ".ci", "run"), os.X_OK)
