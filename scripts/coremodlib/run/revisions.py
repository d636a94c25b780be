"""Earlier revisions of the reference implementation, built for the A/B mode: `coremod gate
--against REV` and `coremod nightly` against the last good night's commit.

A revision is taken with `git archive` (the committed files of that commit, nothing of the work
tree) into build/revisions/<commit>/src and built there, the reference library only, in
build/revisions/<commit>/build. A revision already built is reused: its files cannot change.
The runner measuring both builds is always this checkout's (so the measuring code is the same on
both sides); the candidate is bound at run time, as for any implementation.
"""
import io
import os
import shutil
import subprocess
import tarfile

from coremodlib.run import build
from coremodlib import paths
from coremodlib.errors import HarnessError


def _git(*args, repo=paths.REPO_ROOT):
    if shutil.which("git") is None:
        raise HarnessError(
            "git is not installed (Debian package git): the A/B mode builds the "
            "earlier revision from the repository"
        )
    return subprocess.run(["git", "-C", repo, *args], capture_output=True)


def resolve(rev, repo=paths.REPO_ROOT):
    """The full commit id `rev` names in `repo`, or HarnessError saying why not."""
    result = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", repo=repo)
    if result.returncode != 0:
        inside = _git("rev-parse", "--is-inside-work-tree", repo=repo)
        if inside.returncode != 0:
            raise HarnessError(
                f"--against {rev}: {repo} is not a git repository, so no "
                f"revision can be built (give --against-impl PATH instead)"
            )
        raise HarnessError(
            f"--against {rev}: no such commit in {repo} "
            f"(git rev-parse: {result.stderr.decode(errors='replace').strip()})"
        )
    return result.stdout.decode().strip()


def is_known(commit, repo=paths.REPO_ROOT):
    """Whether `commit` is a commit of `repo` (False without git or a repository)."""
    if not commit or shutil.which("git") is None:
        return False
    return _git("cat-file", "-e", f"{commit}^{{commit}}", repo=repo).returncode == 0


def _extract(commit, source_dir, repo):
    result = _git("archive", "--format=tar", commit, repo=repo)
    if result.returncode != 0:
        raise HarnessError(
            f"git archive {commit} failed: " f"{result.stderr.decode(errors='replace').strip()}"
        )
    partial = source_dir + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        # Debian 12's Python has no extraction filters yet: refuse what would land outside.
        for member in archive.getmembers():
            if (
                os.path.isabs(member.name)
                or ".." in member.name.split("/")
                or member.islnk()
                or member.isdev()
            ):
                raise HarnessError(f"git archive {commit}: refusing member {member.name!r}")
        archive.extractall(partial)
    os.replace(partial, source_dir)  # a half-extracted tree is never taken for a whole one


def reference_of(rev, progress, repo=paths.REPO_ROOT, revisions_dir=paths.REVISIONS_DIR):
    """(commit, path of the reference library built at `rev`): extracted and built on first use,
    reused after."""
    commit = resolve(rev, repo)
    top = os.path.join(revisions_dir, commit)
    source_dir, build_dir = os.path.join(top, "src"), os.path.join(top, "build")
    if not os.path.isdir(source_dir):
        progress.phase(f"extracting revision {commit[:12]} ({rev}) into {source_dir}")
        os.makedirs(top, exist_ok=True)
        _extract(commit, source_dir, repo)
    build.ensure_built(
        build_dir, progress, source_dir=source_dir, targets=(paths.REFERENCE_TARGET,)
    )
    impl = paths.reference_impl(build_dir)
    build.require_outputs(build_dir, [impl])
    return commit, impl
