"""The document's Quick Start "Basic Usage" program compiles unmodified against an installed
coremod (`pkg-config --cflags --libs coremod`) and prints "Result: 84".

The program is extracted from the document at test time (the `api_document` fixture: skipped
when the document is absent), never copied into the repository. The library is installed into a
staging directory (`meson install --destdir`), and pkg-config is pointed at it with
PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR, exactly as a packager would.
"""
import glob
import os
import re
import shutil
import subprocess

import pytest

from coremodlib import paths

pytestmark = pytest.mark.e2e


def basic_usage_program(document):
    section = document.split("### Basic Usage", 1)
    assert len(section) == 2, "no 'Basic Usage' section in the document"
    match = re.search(r"```c\n(.*?)```", section[1], re.S)
    assert match, "no C code block after 'Basic Usage'"
    return match.group(1)


def test_program_is_the_documented_one(api_document):
    program = basic_usage_program(api_document)
    assert '#include "module_interface.h"' in program
    assert 'module_load(system, "example_module.so")' in program
    assert 'printf("Result: %d\\n", result);' in program


@pytest.fixture(scope="module")
def staged_install(main_build, tmp_path_factory):
    stage = tmp_path_factory.mktemp("stage")
    subprocess.run(
        ["meson", "install", "-C", main_build, "--destdir", str(stage), "--no-rebuild", "--quiet"],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    pc_files = glob.glob(os.path.join(stage, "**", "pkgconfig", "coremod.pc"), recursive=True)
    assert len(pc_files) == 1, f"coremod.pc not installed (found {pc_files})"
    libs = glob.glob(os.path.join(stage, "**", "libcoremod.so*"), recursive=True)
    assert libs, "libcoremod.so not installed"
    return {
        "stage": str(stage),
        "pc_dir": os.path.dirname(pc_files[0]),
        "lib_dir": os.path.dirname(libs[0]),
    }


def pkg_config_flags(staged):
    # The stage's coremod.pc first, so no installed copy can stand in for it; the system's own
    # directories after it, where the libraries coremod.pc requires privately (Capstone, for the
    # debugger) are found, as they are for an installed coremod.
    system_dirs = subprocess.run(
        ["pkg-config", "--variable", "pc_path", "pkg-config"],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout.strip()
    env = dict(
        os.environ,
        PKG_CONFIG_PATH=staged["pc_dir"],
        PKG_CONFIG_SYSROOT_DIR=staged["stage"],
        PKG_CONFIG_LIBDIR=staged["pc_dir"] + ":" + system_dirs,
    )
    result = subprocess.run(
        ["pkg-config", "--cflags", "--libs", "coremod"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_quick_start_compiles_and_prints_result_84(
    api_document, main_build, staged_install, tmp_path
):
    source = tmp_path / "quickstart.c"
    source.write_text(basic_usage_program(api_document))
    flags = pkg_config_flags(staged_install)
    assert any(f.startswith("-I" + staged_install["stage"]) for f in flags), flags
    exe = tmp_path / "quickstart"
    compiled = subprocess.run(
        ["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", str(source), "-o", str(exe), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stdout

    # The program loads the bare name "example_module.so": found on the default search path
    # ./modules, relative to the current directory.
    run_dir = tmp_path / "run"
    (run_dir / "modules").mkdir(parents=True)
    shutil.copy(
        os.path.join(paths.fixtures_dir(main_build), "modules", "example_module.so"),
        run_dir / "modules" / "example_module.so",
    )
    env = dict(os.environ, LD_LIBRARY_PATH=staged_install["lib_dir"])
    ran = subprocess.run(
        [str(exe)],
        cwd=run_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "Result: 84\n"


def test_quick_start_uses_the_staged_library(api_document, main_build, staged_install, tmp_path):
    """The program runs against the installed copy, not the build tree's."""
    source = tmp_path / "quickstart.c"
    source.write_text(basic_usage_program(api_document))
    exe = tmp_path / "quickstart"
    subprocess.run(
        ["cc", str(source), "-o", str(exe), *pkg_config_flags(staged_install)], check=True
    )
    env = dict(os.environ, LD_LIBRARY_PATH=staged_install["lib_dir"], LD_DEBUG="libs")
    ran = subprocess.run(
        [str(exe)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
    )
    assert "calling init: " + staged_install["lib_dir"] in ran.stderr
