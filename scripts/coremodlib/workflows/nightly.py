"""`coremod nightly`: certify the candidate, compare its gates with the last good run in the
history, append this run to the history and write the reports.

The comparison is an A/B run whenever the last good night's build is at hand: its library is
measured in the same rounds as tonight's candidate, interleaved (rounds.measure_ab), so that a
busier machine tonight slows both. The last good build is found as
1. the last good night's candidate file itself, when it is still there with the same SHA-256
   (an implementation of one's own kept at one path, or an unchanged reference build);
2. else, when that night measured the reference built from a clean commit that this repository
   has, that commit rebuilt (revisions.py);
3. else nothing: tonight's samples are compared with the samples stored in the history, and
   the rule widens or says "inconclusive: conditions changed" when the machine changed
   (regression.py).
On the first night there is no good run yet: nothing is compared, the record says so, and if
this run is good it becomes the baseline of the next. Exit codes as certify's: 3 names the gates
that failed or regressed.
"""
import os

from coremodlib import report as reports

from coremodlib.records import history
from coremodlib.machine import candidate
from coremodlib.workflows import certify
from coremodlib.run import measurement, revisions
from coremodlib import paths


def baseline_from_history(run):
    """The history run's gates in the shape regression.compare takes."""
    keys = ("unit", "samples", "platform_p50") + history.ROUND_KEYS
    return {
        op: {k: g[k] for k in keys if g.get(k) is not None}
        for op, g in run["gates"].items()
        if g.get("samples")
    }


def last_good_build(last, prepared, progress):
    """(measurement.Against or None, why): the last good night's build to measure tonight beside the
    candidate (the module docstring's order), or None and the reason it is not at hand."""
    name = f"history run {last['id']} ({last['started_at']})"
    path, sha = last.get("candidate"), last.get("candidate_sha256")
    if path and os.path.isfile(path) and sha and candidate.sha256_file(path) == sha:
        return measurement.Against(path, f"{name}, its build {path}", path, None), None
    env = last.get("environment") or {}
    commit = last.get("commit_id")
    was_reference = path == paths.reference_impl(prepared.build_dir)
    if not was_reference:
        return None, f"its candidate {path} is no longer the file measured then"
    if env.get("commit_dirty"):
        return None, (
            f"it measured uncommitted changes to {str(commit)[:12]}: that build "
            f"cannot be made again"
        )
    if not revisions.is_known(commit):
        return None, f"its commit {commit} is not in this repository"
    commit, impl = revisions.reference_of(commit, progress)
    return (
        measurement.Against(impl, f"{name}, rebuilt from commit {commit[:12]}", impl, commit),
        None,
    )


def run(*, measure, selection, history_path, progress):
    """`coremod nightly`: certify as `measure` and `selection` say (gates always measured),
    compare the gates with the last good run of `history_path`, append the run; the exit code."""
    history_path = os.path.abspath(history_path)
    last = history.last_good(history_path)
    if last is None:
        progress.note(
            f"first night: no good run in {history_path} yet; the gates are judged "
            f"against their budgets only, nothing is compared"
        )
    chosen = {}

    def against_for(prepared):
        if last is None:
            return None
        against, why = last_good_build(last, prepared, progress)
        chosen.update(against=against, why=why)
        if against is None:
            progress.note(
                f"the last good night's build is not at hand ({why}): comparing with "
                f"the samples stored in the history"
            )
        else:
            progress.note(f"A/B: measuring {against.name} in the same rounds")
        return against

    def compare_with(prepared, measured, env):
        if last is None:
            return {
                "name": None,
                "source": history_path,
                "environment_warnings": [],
                "note": "first night: no good run in the history yet; nothing compared",
            }
        if chosen.get("against") is not None and measured.against_samples is not None:
            entry = measurement.compare_ab(prepared, measured, chosen["against"], env, progress)
        else:
            name = f"history run {last['id']} ({last['started_at']})"
            entry = measurement.compare(
                prepared,
                measured,
                baseline_from_history(last),
                name,
                last.get("environment"),
                env,
                progress,
                source=history_path,
                baseline_noise=(last.get("environment") or {}).get("noise"),
            )
            entry["why_not_ab"] = chosen.get("why")
        entry["run_id"] = last["id"]
        return entry

    cert, prepared, measured = certify.execute(
        measure=measure,
        selection=selection,
        no_gates=False,
        progress=progress,
        compare_with=compare_with,
        against_for=against_for,
    )
    # The HTML report reads its trends from this history; tonight's run goes in first, so the
    # trends end with it (and mark its regressions).
    cert["options"]["history"] = history_path
    run_id = (
        measurement.append_history(history_path, cert, prepared, measured)
        if measured
        else _append_without_gates(history_path, cert)
    )
    written = write_reports(cert, prepared.out_dir)
    progress.finish()
    print(certify.summary_text(cert, written, command="nightly"))
    if last is None:
        print("  baseline:  first night: no good run in the history yet, nothing compared")
    elif chosen.get("against") is not None:
        print(f"  baseline:  A/B, {chosen['against'].name}, measured in the same rounds")
    else:
        print(
            f"  baseline:  history run {last['id']} ({last['started_at']}), its stored "
            f"samples ({chosen.get('why') or 'no gates measured'})"
        )
    print(
        f"  history:   run {run_id} in {history_path}"
        + (
            " (good: later nights compare with it)"
            if history.is_good(cert["exit_code"], cert["gates"])
            else ""
        )
    )
    return cert["exit_code"]


def write_reports(cert, out_dir):
    """Every report writer of coremod_reports (reports.WRITERS: add a writer there and
    nightly, certify and gate all write it)."""
    return reports.write_all(cert, out_dir)


def _append_without_gates(path, cert):
    """A night whose gates did not run (cases failed) is still recorded, as not good."""
    return history.append(
        path,
        started_at=cert["started_at"],
        commit_id=cert["environment"].get("commit"),
        candidate=cert["candidate"]["path"],
        candidate_sha256=cert["candidate"]["sha256"],
        metric="time",
        verdict=cert["verdict"],
        environment=cert["environment"],
        good=False,
        rows=[],
    )
