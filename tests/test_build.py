"""coremodlib.run.build on a tiny meson project: set-up, reconfiguration when options change, and a
failing build reported as a harness error with the compiler's words."""
import os

import pytest

from coremodlib.run import build
from coremodlib.errors import HarnessError
from coremodlib.progress import Silent


@pytest.fixture
def project(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "meson.build").write_text("project('tiny', 'c')\nexecutable('tiny', 'tiny.c')\n")
    (src / "tiny.c").write_text("int main(void) { return 0; }\n")
    return src


def test_setup_compile_and_reconfigure(project, tmp_path):
    build_dir = str(tmp_path / "b")
    build.ensure_built(build_dir, Silent(), source_dir=str(project))
    assert os.path.exists(os.path.join(build_dir, "tiny"))
    assert build.current_options(build_dir)["buildtype"] == "debug"  # meson's default

    build.ensure_built(build_dir, Silent(), buildtype="release", source_dir=str(project))
    assert build.current_options(build_dir)["buildtype"] == "release"

    # nothing requested: the directory keeps its configuration
    build.ensure_built(build_dir, Silent(), source_dir=str(project))
    assert build.current_options(build_dir)["buildtype"] == "release"


def test_failed_build_quotes_the_compiler(project, tmp_path):
    (project / "tiny.c").write_text("int main(void) { return undeclared_thing; }\n")
    with pytest.raises(HarnessError, match="(?s)the build failed.*undeclared_thing"):
        build.ensure_built(str(tmp_path / "b"), Silent(), source_dir=str(project))


def test_failed_setup_is_retried_in_place(project, tmp_path):
    good = (project / "meson.build").read_text()
    (project / "meson.build").write_text("project('tiny', 'c')\nsyntax error here\n")
    build_dir = str(tmp_path / "b")
    with pytest.raises(HarnessError, match="meson setup failed"):
        build.ensure_built(build_dir, Silent(), source_dir=str(project))
    (project / "meson.build").write_text(good)
    build.ensure_built(build_dir, Silent(), source_dir=str(project))
    assert os.path.exists(os.path.join(build_dir, "tiny"))


def test_require_outputs_names_what_is_missing(tmp_path):
    present = tmp_path / "here"
    present.write_text("")
    build.require_outputs(str(tmp_path), [str(present)])
    with pytest.raises(HarnessError, match="absent.so"):
        build.require_outputs(str(tmp_path), [str(present), str(tmp_path / "absent.so")])
