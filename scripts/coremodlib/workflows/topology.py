"""`coremod topology`: what the reference's detection layer sees on this machine, or on a recorded
one. A thin front over impl/platform's `coremod-topology` tool, so the command and the conformance
cases read one detection code path (docs: fixtures/topology/README.md)."""
import os
import subprocess

from coremodlib.run import build
from coremodlib import paths
from coremodlib.errors import HarnessError

TOPOLOGY_FIXTURES = paths.TOPOLOGY_FIXTURES_DIR


def tool_path(build_dir):
    return os.path.join(build_dir, "impl", "platform", "coremod-topology")


def recorded_machines():
    """Names of the recorded machines under fixtures/topology/."""
    return sorted(
        name
        for name in os.listdir(TOPOLOGY_FIXTURES)
        if os.path.isfile(os.path.join(TOPOLOGY_FIXTURES, name, paths.REPLAY_EXPECTED_NAME))
    )


def replay_environment(machine):
    """The environment variables that make detection replay `machine` (a name or a directory)."""
    directory = machine if os.sep in machine else os.path.join(TOPOLOGY_FIXTURES, machine)
    directory = os.path.abspath(directory)
    sysctl_file = os.path.join(directory, paths.REPLAY_SYSCTL_NAME)
    sysfs_root = os.path.join(directory, paths.REPLAY_SYSFS_DIR)
    if os.path.isfile(sysctl_file):
        return {paths.SYSCTL_FILE_ENV: sysctl_file}
    if os.path.isdir(sysfs_root):
        return {paths.SYSFS_ROOT_ENV: sysfs_root}
    known = ", ".join(recorded_machines())
    raise HarnessError(
        f"no recorded machine at {directory} (it needs {paths.REPLAY_SYSCTL_NAME} or "
        f"{paths.REPLAY_SYSFS_DIR}/); "
        f"recorded machines: {known}"
    )


def run(*, build_dir, progress, machine=None, as_json=False):
    """`coremod topology`: print what the detection layer finds on this machine, or on the
    recorded `machine` (a name under fixtures/topology/ or a directory). The exit code."""
    env = dict(os.environ)
    if machine:
        for name in paths.REPLAY_ENV_VARS:
            env.pop(name, None)
        env.update(replay_environment(machine))
    build_dir = build.ensure_built(build_dir, progress)
    tool = tool_path(build_dir)
    build.require_outputs(build_dir, [tool])
    progress.finish()
    result = subprocess.run([tool] + (["--json"] if as_json else []), env=env, check=False)
    if result.returncode != 0:
        raise HarnessError(f"{tool} failed with exit status {result.returncode}")
    return 0
