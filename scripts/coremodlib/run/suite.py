"""Runs the conformance suite (Criterion executable `coremod-conformance`) against a candidate.

The suite writes one JSON line per case to $COREMOD_RESULTS_FILE (docs/harness-interfaces.md).
This module runs it, shows progress while the file grows, and checks the run is complete: every
test Criterion lists has a result, and the runner ended normally (Criterion exits 0 when all cases
pass, 1 when some did not). Criterion isolates each case in its own process, so a candidate that
crashes or hangs in a case gives that case `crash`/`timeout`; the runner itself dying, or cases
without a result, means the harness broke -- unless the candidate cannot even be loaded or crashes
on load, which `probe_candidate` finds out in a process of its own (see `account_for`).
"""
import collections
import json
import os
import re
import signal
import subprocess
import sys
import time

from coremodlib.records import case_results
from coremodlib.errors import HarnessError

RUNNER_OK_EXIT_CODES = (0, 1)
# Every case has its own time limit (at most 60 s in this suite), so a new result must arrive at
# least that often. A runner silent for much longer is stuck -- a case outlived its limit, a
# harness fault -- and is killed. No limit on the whole run: a candidate whose every case times
# out legitimately takes (cases x limit / jobs).
DEFAULT_STALL_S = 180
PROBE_TIMEOUT_S = 60
# The SPEC clause of the harness's own records about a candidate that cannot be loaded, crashes or
# hangs when loaded (CANDIDATE-LOAD, unreported cases): 1.6, the candidate exports the API.
LOAD_CLAUSE = "1.6"
_POLL_S = 0.25

Outcome = collections.namedtuple(
    "Outcome",
    "cases listed missing returncode elapsed_s log_path results_path command " "all_listed",
    defaults=(None,),
)


def candidate_env(impl, fixtures_dir, extra=None):
    """The environment of a runner bound to `impl` (harness-interfaces.md, 'Environment')."""
    env = dict(os.environ)
    env["COREMOD_IMPL"] = impl
    env["COREMOD_FIXTURES_DIR"] = fixtures_dir
    env.update(extra or {})
    return env


def parse_list(text):
    """[(suite, test)] from Criterion's `--list` output ("suite: N tests" then tree lines)."""
    tests, suite = [], None
    for line in text.splitlines():
        header = re.match(r"^(\S.*): \d+ tests?$", line)
        if header:
            suite = header.group(1)
            continue
        item = re.match(r"^(?:├──|└──|\|--|`--)\s*(.+)$", line.strip())
        if item and suite is not None:
            tests.append((suite, item.group(1).strip()))
    return tests


def list_tests(exe, env):
    try:
        result = subprocess.run(
            [exe, "--list"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"cannot list the suite's cases with {exe} --list: {exc}") from None
    tests = parse_list(result.stdout)
    if result.returncode != 0 or not tests:
        raise HarnessError(
            f"{exe} --list listed no cases (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return tests


def filter_pattern(listed, selected):
    """Criterion's --filter pattern (a glob on "suite/test"; `@(a|b)` is an alternation) that runs
    exactly the tests `selected` out of `listed`: `suite/*` for a suite taken whole, else
    `suite/TEST` for each test. None when every listed test is selected (no filter)."""
    chosen = set(selected)
    if set(listed) <= chosen:
        return None
    by_suite = collections.OrderedDict()
    for suite_name, test in listed:
        by_suite.setdefault(suite_name, []).append(test)
    parts = []
    for suite_name, tests in by_suite.items():
        taken = [t for t in tests if (suite_name, t) in chosen]
        if not taken:
            continue
        if len(taken) == len(tests):
            parts.append(f"{suite_name}/*")
        else:
            parts.extend(f"{suite_name}/{t}" for t in taken)
    return "@(" + "|".join(parts) + ")"


def _normal(text):
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def find_missing(listed, cases):
    """Listed tests without a result: [{"suite", "test"}]. A test is matched to its result by
    name when the names allow it (Criterion name ~ case id); otherwise only the count per suite
    is compared and "test" is None."""
    results_by_suite = collections.defaultdict(list)
    for case in cases:
        results_by_suite[case["suite"]].append(case)
    listed_by_suite = collections.defaultdict(list)
    for suite, test in listed:
        listed_by_suite[suite].append(test)
    missing = []
    for suite, tests in listed_by_suite.items():
        got = results_by_suite.get(suite, [])
        shortfall = len(tests) - len(got)
        if shortfall <= 0:
            continue
        reported = {_normal(c["id"]) for c in got} | {_normal(c["title"]) for c in got}
        unmatched = [t for t in tests if _normal(t) not in reported]
        if len(unmatched) == shortfall:
            missing.extend({"suite": suite, "test": t} for t in unmatched)
        else:
            missing.extend({"suite": suite, "test": None} for _ in range(shortfall))
    return missing


def _describe_exit(returncode):
    if returncode < 0:
        try:
            return f"killed by signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


def _show_progress(progress, cases, total):
    if not cases:
        progress.update(f"suite: 0/{total} cases")
        return
    bad = sum(1 for c in cases if c["status"] in case_results.REJECTING)
    last = cases[-1]
    progress.update(
        f"suite: {len(cases)}/{total} cases, {bad} failing — " f"{last['id']} {last['status']}"
    )


def run(
    exe,
    impl,
    fixtures_dir,
    results_path,
    log_path,
    progress,
    extra_env=None,
    stall_s=None,
    listed=None,
    selected=None,
):
    """Runs the suite once and returns its Outcome (not yet judged: see `account_for`).

    listed: the suite's `--list` (read here when None); selected: the (suite, test) pairs to run
    (default every listed one; the others are left out with Criterion's --filter, and the
    Outcome's `listed` holds only the selected ones, `all_listed` every one)."""
    if not os.access(exe, os.X_OK):
        raise HarnessError(f"conformance suite not found or not executable: {exe}")
    stall_s = DEFAULT_STALL_S if stall_s is None else stall_s
    env = candidate_env(impl, fixtures_dir, extra_env)
    all_listed = list_tests(exe, env) if listed is None else list(listed)
    pattern = None
    listed = all_listed
    if selected is not None:
        pattern = filter_pattern(all_listed, selected)
        chosen = set(selected)
        listed = [t for t in all_listed if t in chosen]
    env["COREMOD_RESULTS_FILE"] = results_path
    for stale in (results_path, log_path):
        if os.path.exists(stale):
            os.remove(stale)
    command = [exe] + ([f"--filter={pattern}"] if pattern else [])
    progress.phase(f"running the conformance suite: {len(listed)} cases against {impl}")
    start = last_progress = time.monotonic()
    reported = 0
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while True:
                try:
                    proc.wait(timeout=_POLL_S)
                    break
                except subprocess.TimeoutExpired:
                    pass
                cases = case_results.read_results(results_path, complete_lines_only=True)
                now = time.monotonic()
                if len(cases) > reported:
                    last_progress = now
                elif now - last_progress > stall_s:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    raise HarnessError(_stall_message(stall_s, listed, cases, log_path))
                for case in cases[reported:]:
                    if case["status"] in case_results.REJECTING:
                        progress.note(f"{case['id']} {case['status']}: {case['message']}")
                reported = len(cases)
                _show_progress(progress, cases, len(listed))
        except BaseException:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            raise
    elapsed = time.monotonic() - start
    cases = case_results.read_results(results_path)
    for case in cases[reported:]:
        if case["status"] in case_results.REJECTING:
            progress.note(f"{case['id']} {case['status']}: {case['message']}")
    progress.finish()
    return Outcome(
        cases=cases,
        listed=listed,
        missing=find_missing(listed, cases),
        returncode=proc.returncode,
        elapsed_s=elapsed,
        log_path=log_path,
        results_path=results_path,
        command=command,
        all_listed=all_listed,
    )


def _stall_message(stall_s, listed, cases, log_path):
    unreported = find_missing(listed, cases)
    names = ", ".join(
        f"{m['suite']}/{m['test']}" if m["test"] else f"{m['suite']}/?" for m in unreported[:10]
    )
    return (
        f"the conformance suite reported no case for {stall_s} s and was killed: a case ran "
        f"past its own time limit, which the suite must enforce. {len(unreported)} of "
        f"{len(listed)} cases had no result: {names}. Log: {log_path}"
    )


_PROBE_CODE = """
import ctypes, os, sys
try:
    ctypes.CDLL(sys.argv[1], mode=os.RTLD_NOW | os.RTLD_LOCAL)
except OSError as exc:
    print(exc)
    sys.exit(3)
"""


def probe_candidate(impl, timeout_s=PROBE_TIMEOUT_S, python=sys.executable):
    """Loads `impl` alone in a fresh process. Returns (verdict, detail); verdict is "ok",
    "unloadable" (the loader refuses it), "crash" (its constructors kill the process), "hang", or
    "inconclusive" (the probe process failed some other way, e.g. a sanitizer runtime refusing
    to be loaded late: then nothing can be concluded about the candidate)."""
    try:
        result = subprocess.run(
            [python, "-I", "-c", _PROBE_CODE, impl],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "hang", f"loading it did not return within {timeout_s} s"
    detail = result.stdout.strip()[-1000:]
    if result.returncode == 0:
        return "ok", ""
    if result.returncode == 3:
        return "unloadable", detail
    if result.returncode < 0:
        return "crash", f"{_describe_exit(result.returncode)} while loading it. {detail}".strip()
    return "inconclusive", f"probe {_describe_exit(result.returncode)}: {detail}"


_EXPORTS_CODE = """
import ctypes, json, os, sys
try:
    lib = ctypes.CDLL(sys.argv[1], mode=os.RTLD_NOW | os.RTLD_LOCAL)
except OSError as exc:
    print(json.dumps({"error": str(exc)}))
    sys.exit(3)
print(json.dumps({"missing": [name for name in sys.argv[2:] if not hasattr(lib, name)]}))
"""


def probe_exports(impl, names, timeout_s=PROBE_TIMEOUT_S, python=sys.executable):
    """Which of `names` the candidate does not provide, resolved as the suite resolves them (dlsym
    on its own RTLD_NOW | RTLD_LOCAL handle, so a symbol of one of its dependencies counts), in a
    process of its own. Returns (verdict, missing, detail): verdict "ok" (then `missing` is the
    list), or as probe_candidate's: "unloadable", "crash", "hang" (the candidate's fault:
    `detail` says what happened) or "inconclusive" (the probe itself failed, e.g. a sanitizer
    runtime refusing to be loaded late: nothing is concluded, `missing` is [])."""
    try:
        result = subprocess.run(
            [python, "-I", "-c", _EXPORTS_CODE, impl, *names],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "hang", [], f"loading it did not return within {timeout_s} s"
    except OSError as exc:
        return "inconclusive", [], f"cannot run the export probe: {exc}"
    if result.returncode < 0:
        return (
            "crash",
            [],
            (
                f"{_describe_exit(result.returncode)} while loading it. "
                f"{result.stderr.strip()[-500:]}"
            ).strip(),
        )
    try:
        answer = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = None
    if result.returncode == 3 and isinstance(answer, dict) and "error" in answer:
        return "unloadable", [], answer["error"]
    if (
        result.returncode != 0
        or not isinstance(answer, dict)
        or not isinstance(answer.get("missing"), list)
    ):
        return (
            "inconclusive",
            [],
            (
                f"probe {_describe_exit(result.returncode)}: "
                f"{(result.stdout + result.stderr).strip()[-500:]}"
            ),
        )
    absent = set(answer["missing"])
    return "ok", [n for n in names if n in absent], ""


_PROBE_STATUS = {"unloadable": "fail", "crash": "crash", "hang": "timeout"}


def _log_tail(path, lines=25):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def account_for(outcome, impl, probe=probe_candidate):
    """The run's case list, once the run is known to be trustworthy.

    A complete run that ended normally is returned as is. Otherwise the candidate is probed on its
    own: if it cannot be loaded, crashes or hangs while loading, the unreported cases are the
    candidate's (status fail/crash/timeout, with the reason). If it loads cleanly, the runner broke
    for reasons of its own: HarnessError (exit 2), since no verdict on the candidate can be given.
    """
    normal_exit = outcome.returncode in RUNNER_OK_EXIT_CODES
    if normal_exit and not outcome.missing:
        return list(outcome.cases)
    what = []
    if not normal_exit:
        what.append(f"the runner ended abnormally ({_describe_exit(outcome.returncode)})")
    if outcome.missing:
        what.append(f"{len(outcome.missing)} of {len(outcome.listed)} cases have no result")
    verdict, detail = probe(impl)
    if verdict not in _PROBE_STATUS:
        raise HarnessError(
            "the conformance suite did not complete: "
            + "; ".join(what)
            + ".\n"
            + (
                "The candidate loads cleanly in a process of its own, so this is a failure of the "
                "harness, not a verdict on the candidate."
                if verdict == "ok"
                else f"Probing the candidate was inconclusive ({detail})."
            )
            + f"\nRunner log: {outcome.log_path}\n--- last lines ---\n"
            + _log_tail(outcome.log_path)
        )
    status = _PROBE_STATUS[verdict]
    reason = {
        "unloadable": "the candidate cannot be loaded",
        "crash": "the candidate crashes when loaded",
        "hang": "the candidate hangs when loaded",
    }[verdict]
    cases = list(outcome.cases)
    for number, entry in enumerate(outcome.missing, 1):
        test = entry["test"] or f"unreported case {number}"
        cases.append(
            {
                "id": f"{entry['suite']}/{test}",
                "suite": entry["suite"],
                "clause": LOAD_CLAUSE,
                "title": f"{test} (no result: the runner died)",
                "status": status,
                "message": f"{reason}: {detail}",
                "elapsed_s": None,
            }
        )
    if not outcome.missing:
        # Every case reported but the runner died afterwards (e.g. in the candidate's destructors):
        # the candidate's fault, recorded as one case so that the verdict shows it.
        cases.append(
            {
                "id": "CANDIDATE-LOAD",
                "suite": "harness",
                "clause": LOAD_CLAUSE,
                "title": "the candidate loads and unloads in a process of its own",
                "status": status,
                "message": f"{reason}: {detail}; " + "; ".join(what),
                "elapsed_s": None,
            }
        )
    return cases
