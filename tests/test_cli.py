"""The command line: help for every option, isolation of the launcher, early exit code 2."""
import os
import stat

import pytest

from conftest import COREMOD, run_coremod
from coremodlib import cli


def subcommands():
    parser = cli.build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


@pytest.mark.parametrize("name", ["certify", "test", "bootstrap"])
def test_every_option_has_help(name):
    sub = subcommands()[name]
    assert sub.description
    for action in sub._actions:
        assert action.help, f"coremod {name}: {action.option_strings or action.dest} has no help"


def test_certify_help_lists_every_option_and_exit_code():
    result = run_coremod("certify", "--help")
    assert result.returncode == 0
    for option in (
        "--impl",
        "--out",
        "--no-gates",
        "--build-dir",
        "--buildtype",
        "--samples",
        "--quick",
        "--budgets",
        "--profile",
        "--area",
        "--case",
        "--strict-spec",
    ):
        assert option in result.stdout
    for code in ("0  certified", "1  rejected", "3  rejected", "2  no verdict: the harness"):
        assert code in result.stdout


def test_test_help():
    result = run_coremod("test", "--help")
    assert result.returncode == 0 and "--fast" in result.stdout and "-k EXPR" in result.stdout


def test_launcher_ignores_path_python_and_pythonpath(tmp_path):
    """scripts/coremod must run Debian's /usr/bin/python3 in isolated mode: neither a python3 first
    on PATH nor PYTHONPATH may change what runs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    impostor = bin_dir / "python3"
    impostor.write_text("#!/bin/sh\necho impostor python ran\nexit 99\n")
    impostor.chmod(impostor.stat().st_mode | stat.S_IEXEC)
    poison = tmp_path / "poison" / "coremodlib"
    poison.mkdir(parents=True)
    (poison / "__init__.py").write_text("raise SystemExit('poisoned coremodlib imported')\n")
    (poison / "cli.py").write_text("raise SystemExit('poisoned cli imported')\n")
    env = dict(
        os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", PYTHONPATH=str(tmp_path / "poison")
    )
    result = run_coremod("--help", env=env, cwd=str(tmp_path / "poison"))
    assert result.returncode == 0, result.stderr
    assert "certify" in result.stdout and "poisoned" not in result.stderr + result.stdout


def test_launcher_is_posix_sh():
    with open(COREMOD, encoding="utf-8") as f:
        first = f.readline()
    assert first.strip() == "#!/bin/sh"
    assert os.access(COREMOD, os.X_OK)


def test_nonexistent_impl_is_exit_2():
    result = run_coremod("certify", "--impl", "/nonexistent", "--no-gates")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_directory_as_impl_is_exit_2(tmp_path):
    result = run_coremod("certify", "--impl", str(tmp_path), "--no-gates")
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_malformed_budgets_is_exit_2(tmp_path):
    budgets = tmp_path / "budgets.toml"
    budgets.write_text(
        "[module_load]\nstatistic = 'p99'\ncomparison = 'sometimes'\n" "budget = 1\nunit = 'ns'\n"
    )
    result = run_coremod("certify", "--budgets", str(budgets))
    assert result.returncode == 2 and "comparison" in result.stderr


def test_bad_usage_is_exit_2():
    assert run_coremod("certify", "--samples", "0").returncode == 2
    assert run_coremod("no-such-command").returncode == 2


class _Capture:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_progress_live_line_on_a_terminal_plain_lines_otherwise():
    from coremodlib.progress import Progress

    tty = _Capture()
    live = Progress(stream=tty, tty=True)
    live.update("suite: 1/3")
    live.update("suite: 1/3")  # unchanged: not redrawn
    live.update("suite: 2/3")
    live.phase("writing reports")
    assert tty.text.count("suite: 1/3") == 1
    assert "\r\033[K    suite: 2/3" in tty.text
    assert tty.text.endswith("\r\033[K==> writing reports\n")
    plain = _Capture()
    quiet = Progress(stream=plain, tty=False)
    quiet.update("suite: 1/3")
    quiet.phase("writing reports")
    quiet.note("CORE-X-001 fail")
    assert plain.text == "==> writing reports\n    CORE-X-001 fail\n"
