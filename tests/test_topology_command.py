"""`coremod topology --json` gives each recorded machine's expected result (SPEC 13.5).

The expected results in fixtures/topology/*/expected.json were derived by hand from the recorded
facts (see each machine's SOURCE.md), not from this code's output, so a detection change that
alters any field fails here with the field's path."""
import json
import os

import pytest

from conftest import REPO_ROOT, run_coremod
from coremodlib.workflows import topology

MACHINES = topology.recorded_machines()


def test_there_are_at_least_ten_recorded_machines():
    assert len(MACHINES) >= 10, MACHINES


def _differences(expected, actual, path=""):
    """Paths at which `actual` differs from `expected` (keys absent from expected are ignored)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}/{key}: missing")
            else:
                out += _differences(value, actual[key], f"{path}/{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += _differences(e, a, f"{path}[{i}]")
        return out
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


@pytest.mark.parametrize("machine", MACHINES)
def test_topology_json_matches_the_recorded_machine(main_build, machine):
    result = run_coremod("topology", "--json", "--machine", machine, "--build-dir", main_build)
    assert result.returncode == 0, result.stderr
    detected = json.loads(result.stdout)  # stdout is the JSON document and nothing else
    with open(
        os.path.join(REPO_ROOT, "fixtures", "topology", machine, "expected.json"), encoding="utf-8"
    ) as f:
        expected = json.load(f)
    expected.pop("source", None)  # names the absolute path of this checkout
    assert _differences(expected, detected) == []


def test_comparison_can_fail():
    assert _differences({"a": {"b": [1, 2]}}, {"a": {"b": [1, 3]}}) == [
        "/a/b[1]: expected 2, got 3"
    ]


def test_unknown_machine_is_a_harness_error(main_build):
    result = run_coremod("topology", "--machine", "no-such-machine", "--build-dir", main_build)
    assert result.returncode == 2
    assert "recorded machines:" in result.stderr
