"""Start-up needs nothing that bootstrap installs: on Debian's bare python3, `coremod --help`,
every `coremod COMMAND --help` and bootstrap's planning step (--dry-run) work.

The heavy packages are made unimportable (sys.modules[name] = None makes `import name` raise
ImportError), then the launcher's own entry point runs as `scripts/coremod` would run it.
"""
import os
import subprocess

import pytest

from conftest import REPO_ROOT
from coremodlib import commands

# What bootstrap installs that Python imports (bootstrap.GROUPS "judge", "reports", "tests").
HEAVY = ("numpy", "scipy", "jinja2", "matplotlib", "pytest")

DRIVER = """
import runpy, sys
for name in {heavy!r}:
    sys.modules[name] = None
sys.argv = ["coremod", *sys.argv[1:]]
runpy.run_path({entry!r}, run_name="__main__")
"""


def run_bare(*args):
    driver = DRIVER.format(heavy=HEAVY, entry=os.path.join(REPO_ROOT, "scripts", "coremod.py"))
    return subprocess.run(
        ["/usr/bin/python3", "-I", "-c", driver, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=REPO_ROOT,
        check=False,
        timeout=120,
    )


def test_the_driver_really_blocks_the_heavy_packages():
    result = subprocess.run(
        [
            "/usr/bin/python3",
            "-I",
            "-c",
            DRIVER.format(heavy=HEAVY, entry="/dev/null") + "import numpy\n",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "import of numpy halted" in result.stderr


def test_top_level_help_on_bare_python():
    result = run_bare("--help")
    assert result.returncode == 0, result.stderr
    for module in commands.ALL:
        assert module.NAME in result.stdout


@pytest.mark.parametrize("name", sorted(commands.BY_NAME))
def test_command_help_on_bare_python(name):
    result = run_bare(name, "--help")
    assert result.returncode == 0, f"coremod {name} --help on bare python3:\n{result.stderr}"
    assert result.stdout.startswith(f"usage: coremod {name}")


def test_bootstrap_plan_on_bare_python():
    result = run_bare("bootstrap", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(("everything is installed", "missing: "))


def test_command_modules_import_only_light_modules():
    """The rule behind the tests above, checked statically: nothing a command module imports at
    its top reaches a heavy package (a `from .. import certify` inside run() is fine)."""
    driver = (
        "import sys\nsys.path.insert(0, %r)\nimport coremodlib.cli\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in %r)))"
        % (os.path.join(REPO_ROOT, "scripts"), HEAVY)
    )
    result = subprocess.run(
        ["/usr/bin/python3", "-I", "-c", driver],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", "imported at start-up: " + result.stdout
