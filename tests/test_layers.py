"""The layers of the harness package (docs/architecture.md), checked on its import graph.

Each module of scripts/coremodlib belongs to one layer: its folder, or "foundation" for the few
modules at the top (errors, paths, settings, units, progress, stats) and "cli" for the command
line. A layer may import only the layers below it, so that the judging rules can be tested on data
alone, the report writers read records and nothing else, and no library code ever sees the argparse
namespace of a command.
"""
import ast
import os

import pytest

from conftest import REPO_ROOT

PACKAGE_DIR = os.path.join(REPO_ROOT, "scripts", "coremodlib")
FOUNDATION = {"errors", "paths", "settings", "units", "progress", "stats"}

# What each layer may import (besides the standard library and Debian's packages).
ALLOWED = {
    "foundation": {"foundation"},
    "records": {"foundation", "records"},
    "machine": {"foundation", "machine"},
    "judge": {"foundation", "records", "judge"},
    "run": {"foundation", "records", "machine", "judge", "run"},
    "report": {"foundation", "records", "judge", "report"},
    "workflows": {"foundation", "records", "machine", "judge", "run", "report", "workflows"},
    # A command imports its workflow inside run(), after bootstrap (test_startup.py).
    "commands": {"foundation", "records", "machine", "judge", "run", "commands"},
    "cli": {"foundation", "commands"},
}
LAZY_ALLOWED = {"commands": {"workflows"}}

# Judging is a pure function of data: no files, processes, clocks of the OS or databases.
IO_MODULES = {
    "os",
    "io",
    "glob",
    "shutil",
    "sqlite3",
    "subprocess",
    "signal",
    "socket",
    "tempfile",
    "threading",
    "fcntl",
    "pathlib",
    "tomllib",
    "json",
}


def _modules():
    for dirpath, _, names in os.walk(PACKAGE_DIR):
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, PACKAGE_DIR)
                yield rel, path


def layer_of(rel):
    """The layer of a module, from its path relative to the package folder."""
    parts = rel.replace(os.sep, "/").split("/")
    if len(parts) > 1:
        return parts[0]
    name = parts[0][: -len(".py")]
    if name == "cli":
        return "cli"
    return "foundation"


def _layer_of_dotted(dotted, name=None):
    """The layer of `coremodlib.X[.Y]` (with `from coremodlib import name`, of name)."""
    parts = dotted.split(".")[1:]
    if not parts and name is not None:
        parts = [name]
    first = parts[0]
    if os.path.isdir(os.path.join(PACKAGE_DIR, first)):
        return first
    return "cli" if first == "cli" else "foundation"


def _imports(tree):
    """(layer imported, line, lazy) for each import of the package, and the external modules."""
    internal, external = [], []
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        lazy = id(node) not in top_level
        if isinstance(node, ast.ImportFrom):
            if node.level:
                # Only sibling imports inside a layer package are relative (`from . import x`).
                internal.append((None, node.lineno, lazy))
            elif node.module == "coremodlib":
                for alias in node.names:
                    internal.append((_layer_of_dotted(node.module, alias.name), node.lineno, lazy))
            elif node.module.startswith("coremodlib."):
                internal.append((_layer_of_dotted(node.module), node.lineno, lazy))
            else:
                external.append((node.module.split(".")[0], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "coremodlib":
                    internal.append((_layer_of_dotted(alias.name), node.lineno, lazy))
                else:
                    external.append((alias.name.split(".")[0], node.lineno))
    return internal, external


MODULES = list(_modules())


@pytest.mark.parametrize("rel,path", MODULES, ids=[rel for rel, _ in MODULES])
def test_module_imports_only_lower_layers(rel, path):
    layer = layer_of(rel)
    assert layer in ALLOWED, f"{rel}: folder {layer!r} is not a layer of docs/architecture.md"
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    internal, _ = _imports(tree)
    for imported, line, lazy in internal:
        if imported is None:
            assert layer != "foundation", f"{rel}:{line}: relative import at the package's top"
            continue
        allowed = ALLOWED[layer] | (LAZY_ALLOWED.get(layer, set()) if lazy else set())
        assert imported in allowed, (
            f"{rel}:{line}: the {layer} layer imports the {imported} layer; it may import "
            f"{', '.join(sorted(allowed))} (docs/architecture.md)"
        )


JUDGE_MODULES = [(rel, path) for rel, path in MODULES if layer_of(rel) == "judge"]


@pytest.mark.parametrize("rel,path", JUDGE_MODULES, ids=[rel for rel, _ in JUDGE_MODULES])
def test_judging_does_no_io(rel, path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    _, external = _imports(tree)
    for module, line in external:
        assert module not in IO_MODULES, f"{rel}:{line}: the judge layer imports {module}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "open", f"{rel}:{node.lineno}: the judge layer opens a file"


@pytest.mark.parametrize("rel,path", MODULES, ids=[rel for rel, _ in MODULES])
def test_no_argparse_namespace_below_the_commands(rel, path):
    """Commands turn their arguments into keyword arguments: below them, nothing imports argparse
    and no function takes an `args` namespace."""
    if layer_of(rel) in ("commands", "cli"):
        return
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    _, external = _imports(tree)
    assert "argparse" not in {module for module, _ in external}, f"{rel} imports argparse"
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [a.arg for a in node.args.args + node.args.kwonlyargs]
            assert "args" not in names, (
                f"{rel}:{node.lineno}: {node.name}() takes an `args` namespace; take keyword "
                "arguments (the command converts them)"
            )


def test_nothing_but_the_cli_imports_the_commands():
    for rel, path in MODULES:
        if layer_of(rel) in ("commands", "cli"):
            continue
        with open(path, encoding="utf-8") as f:
            internal, _ = _imports(ast.parse(f.read(), path))
        assert "commands" not in {layer for layer, _, _ in internal}, rel


def test_the_layer_rule_catches_a_violation(tmp_path):
    """The checker itself: a judge module that imports the run layer and opens a file is caught."""
    source = "import os\nfrom coremodlib.run import bench\n\ndef f(args):\n    open('x')\n"
    tree = ast.parse(source)
    internal, external = _imports(tree)
    assert ("run", 2, False) in internal
    assert "run" not in ALLOWED["judge"]
    assert ("os", 1) in external and "os" in IO_MODULES
