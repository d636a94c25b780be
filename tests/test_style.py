"""One style for the tree, checked: the C with the root's .clang-format (Debian's clang-format),
the Python with black and flake8 as pyproject.toml and .flake8 configure them. A failure names the
files and the command that fixes them."""
import shutil
import subprocess

import pytest

from conftest import REPO_ROOT

# Python outside *.py that the tools must see too
PYTHON_SCRIPTS = ("scripts/sync-readme-help",)


def tracked(*patterns):
    out = subprocess.run(
        ["git", "ls-files", "--", *patterns],
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return out.split()


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: `./scripts/coremod bootstrap --for test` installs it"
        )
    return path


def test_the_c_is_formatted_as_the_root_clang_format_says():
    files = tracked("*.c", "*.h")
    assert len(files) > 100
    result = subprocess.run(
        [tool("clang-format"), "--dry-run", "--Werror", *files],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wrong = sorted(
        {line.split(":")[0] for line in result.stderr.splitlines() if ": error:" in line}
    )
    assert result.returncode == 0, (
        f"not formatted: {', '.join(wrong)}; run clang-format -i "
        f"on them (the style is .clang-format)"
    )


def test_the_python_is_formatted_with_black():
    result = subprocess.run(
        [tool("black"), "--check", ".", *PYTHON_SCRIPTS],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"{result.stderr}\nrun `black . {' '.join(PYTHON_SCRIPTS)}` " f"(settings: pyproject.toml)"
    )


def test_the_python_passes_flake8():
    result = subprocess.run(
        [tool("flake8"), ".", *PYTHON_SCRIPTS],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"flake8 (settings: .flake8):\n{result.stdout}"
