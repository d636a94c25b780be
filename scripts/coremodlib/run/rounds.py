"""Measuring in rounds: coremod-bench runs many times and the samples of each operation are
concatenated, so that a verdict rests on many processes spread over time rather than on one.

Two kinds of process, so that what runs in a process is always the same mix:
- the percentile (time) gates, all of them in one process per round (`--only` their
  operations, in the table's order): the gates interleave in time, so a burst of load, or the
  machine slowing down, hits every gate a little instead of one gate entirely;
- the every-sample gates (memory per module, modules live at once: 5 runs of 1000 modules each,
  by far the costliest), in a process of their own, EVERY_SAMPLE_ROUNDS rounds: they have no
  interval to narrow, and 15 samples are plenty for the Mann-Whitney comparison.
They are kept apart because what ran before in a process changes an operation's speed: on the
2-core VM numa_place_module and cache_generate_prefetch_pattern are 25-30 % slower in a process
that ran the 1000-module benchmarks before them; mixing both kinds of process in one run gave
numa_place_module a 16 % A/A false-positive rate. (One process per gate would isolate every gate,
but each process writes its 2000 module copies: three times the cost of a round.) The runner
discards its own warm-up iterations (--warmup, default 50) in every process.

The time gates get `min_rounds` rounds; then, while a gate's confidence interval still contains
its budget (gates.py: inconclusive), more rounds of the same process (the whole mix again), up to
`max_rounds`; the gate then stays inconclusive (at once when no number of rounds could bound it,
e.g. 30 samples a round under --quick).

Why so many rounds: a process has its own memory layout, heap state and share of the machine, and
some operations are consistently faster or slower in one process than in the next
(jit_optimization_create comes in modes up to 8 % apart). The A/A calibration (docs/gates.md)
decided the number.
"""
import os
import time

from coremodlib.run import bench
from coremodlib.records import files, operations
from coremodlib.judge import gates
from coremodlib import stats
from coremodlib.errors import HarnessError

from coremodlib.settings import DEFAULT_MAX_ROUNDS, DEFAULT_MIN_ROUNDS  # noqa: F401  (re-exported)

EVERY_SAMPLE_ROUNDS = 3
ROUNDS_DIR = "rounds"
MERGED_NAME = "bench.json"
# The A/B mode's two sides (measure_ab): the candidate, and the baseline build, whose merged
# results go to AGAINST_NAME beside MERGED_NAME.
CURRENT, AGAINST = "current", "against"
AGAINST_NAME = "bench-against.json"
MAX_ERRORS_KEPT = 16  # as the runner keeps: the first 16 failures in full
# The same-run references an operation may carry (coremod-bench/1): the platform loader doing the
# same job, or a workload of the runner's own (perf/bench/bench_reference.h).
REFERENCE_KEYS = ("raw_baseline", "reference")


def round_paths(out_dir, number, kind):
    directory = os.path.join(out_dir, ROUNDS_DIR)
    stem = os.path.join(directory, f"round{number:02d}-{kind}")
    return stem + ".json", stem + ".log"


def _remove_old_rounds(out_dir):
    """Round files of an earlier run in the same directory would look like this run's."""
    directory = os.path.join(out_dir, ROUNDS_DIR)
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.startswith("round") and name.endswith((".json", ".log")):
            os.remove(os.path.join(directory, name))


def _merge_operation(parts):
    """One operation measured in several rounds -> one operation with every sample."""
    first = parts[0]
    errored = [p for p in parts if "error" in p]
    if errored:
        return {"name": first["name"], "error": errored[0]["error"], "rounds": len(parts)}
    merged = {
        key: value
        for key, value in first.items()
        if key not in ("samples", "failures", "errors", "aborted") + REFERENCE_KEYS
    }
    merged["samples"] = [v for p in parts for v in p.get("samples", [])]
    merged["round_sizes"] = [len(p.get("samples", [])) for p in parts]
    merged["failures"] = sum(int(p.get("failures", 0) or 0) for p in parts)
    merged["errors"] = [e for p in parts for e in (p.get("errors") or [])][:MAX_ERRORS_KEPT]
    aborted = [p["aborted"] for p in parts if p.get("aborted")]
    if aborted:
        merged["aborted"] = aborted[0]
    for key in REFERENCE_KEYS:
        refs = [p[key] for p in parts if isinstance(p.get(key), dict)]
        if refs:
            merged[key] = dict(
                refs[0],
                samples=[v for r in refs for v in r.get("samples", [])],
                round_sizes=[len(r.get("samples", [])) for r in refs],
            )
    merged["rounds"] = len(parts)
    return merged


def merge(docs):
    """The processes' results (coremod-bench/1 documents) as one document of the same schema: each
    operation's samples (and same-run reference samples) concatenated in round order, failures
    summed, "rounds" (how many processes measured it) and "round_sizes" added; the document gains
    "rounds" (the most of any operation) and "processes". Header fields (candidate, quick,
    timer) are the first process's."""
    if not docs:
        raise ValueError("no rounds to merge")
    by_name = {}
    for doc in docs:
        for op in doc["operations"]:
            by_name.setdefault(op["name"], []).append(op)
    merged = {key: value for key, value in docs[0].items() if key != "operations"}
    merged["rounds"] = max(len(parts) for parts in by_name.values()) if by_name else 0
    merged["processes"] = len(docs)
    merged["operations"] = [_merge_operation(parts) for parts in by_name.values()]
    return merged


def _reachable(gate, rounds_done, max_rounds):
    """Whether `max_rounds` rounds could give the interval the bound the verdict lacks: a gate
    whose upper bound of p99 is missing needs 368 samples, which 30 samples a round (--quick)
    never reach in 10 rounds."""
    bounds = gate.get("budget_ci")
    if not bounds or gate["samples"] == 0 or gate["statistic"] not in dict(stats.PERCENTILES):
        return True
    lower_is_better = gate["comparison"] in ("<", "<=")
    needed_bound = bounds[1] if lower_is_better else bounds[0]
    if needed_bound is not None:
        return True  # the interval exists and contains the budget: more samples narrow it
    q = dict(stats.PERCENTILES)[gate["statistic"]]
    needed = stats.min_samples_for_upper_bound(q if lower_is_better else 100 - q)
    per_round = gate["samples"] / max(1, rounds_done)
    return per_round * max_rounds >= needed


def undecided(records, rounds_done=1, max_rounds=DEFAULT_MAX_ROUNDS):
    """Operations of the gates that more rounds could still decide."""
    return [
        g["operation"]
        for g in records
        if g["status"] == "inconclusive"
        and _reachable(g, g.get("rounds") or rounds_done, max_rounds)
    ]


def process_groups(budgets):
    """[(operations, is_every_sample)]: the time gates' operations and the every-sample gates'
    operations, each in the budgets table's order (an operation with both kinds of gate is
    measured with the time gates)."""
    timed = list(
        dict.fromkeys(b.operation for b in budgets if b.statistic not in gates.EVERY_SAMPLE)
    )
    every = list(
        dict.fromkeys(
            b.operation
            for b in budgets
            if b.statistic in gates.EVERY_SAMPLE and b.operation not in timed
        )
    )
    return [(ops, kind) for ops, kind in ((timed, False), (every, True)) if ops]


# Gates whose first call in a fresh process the runner measures as `<operation>_cold`, in a
# family of its own (forked children, 50 samples, well under a second): run once, in the first
# round, and reported beside the gate (gates.attach_cold). module_get_symbol_cold is not among
# them: the runner measures it together with module_get_symbol (perf/bench/bench_operations.h).
COLD_FAMILY = operations.COLD_APART


def cold_operations(budgets):
    """The `<operation>_cold` names to measure once for the gates of `budgets`."""
    gated = {b.operation for b in budgets}
    return [op + gates.COLD_SUFFIX for op in COLD_FAMILY if op in gated]


def round_paths_of(out_dir, number, kind, side):
    """round_paths() of one side of an A/B run: the baseline build's files end in -against."""
    return round_paths(out_dir, number, kind if side == CURRENT else f"{kind}-against")


def measure(
    exe,
    impl,
    fixtures_dir,
    budgets,
    out_dir,
    progress,
    samples=None,
    quick=False,
    min_rounds=DEFAULT_MIN_ROUNDS,
    max_rounds=DEFAULT_MAX_ROUNDS,
    extra_env=None,
):
    """Runs the rounds; returns (merged document, gate records, summary of the rounds). The
    merged document is also written to out_dir/bench.json, each process's results and log to
    out_dir/rounds/round<NN>-<kind>.json/.log."""
    merged, records, summary, _ = _measure(
        exe,
        {CURRENT: impl},
        fixtures_dir,
        budgets,
        out_dir,
        progress,
        samples,
        quick,
        min_rounds,
        max_rounds,
        extra_env,
    )
    return merged, records, summary


def measure_ab(
    exe,
    impl,
    against_impl,
    fixtures_dir,
    budgets,
    out_dir,
    progress,
    samples=None,
    quick=False,
    min_rounds=DEFAULT_MIN_ROUNDS,
    max_rounds=DEFAULT_MAX_ROUNDS,
    extra_env=None,
):
    """The A/B mode: as measure(), with the baseline build `against_impl` measured in the same
    rounds by the same runner, each of its processes next to the candidate's (which goes first
    alternates from round to round), so that both see the same machine. Returns (merged,
    records, summary, merged document of the baseline build, also written to
    out_dir/bench-against.json). The baseline build gets exactly the rounds the candidate gets
    (its round i is paired with the candidate's round i); the first calls in a fresh process
    (the cold family) are measured for the candidate only."""
    return _measure(
        exe,
        {CURRENT: impl, AGAINST: against_impl},
        fixtures_dir,
        budgets,
        out_dir,
        progress,
        samples,
        quick,
        min_rounds,
        max_rounds,
        extra_env,
    )


def _measure(
    exe,
    impls,
    fixtures_dir,
    budgets,
    out_dir,
    progress,
    samples,
    quick,
    min_rounds,
    max_rounds,
    extra_env,
):
    if min_rounds < 1 or max_rounds < min_rounds:
        raise HarnessError(f"rounds: need 1 <= min ({min_rounds}) <= max ({max_rounds})")
    _remove_old_rounds(out_dir)
    groups = process_groups(budgets)
    wanted = [min(min_rounds, EVERY_SAMPLE_ROUNDS) if every else min_rounds for _, every in groups]
    done = [0] * len(groups)
    docs = {side: [] for side in impls}
    summary = []
    start = time.monotonic()

    def run_process(side, paths_of, only):
        """One coremod-bench process of `side`'s build; its document joins that side's."""
        doc, elapsed = bench.run(
            exe,
            impls[side],
            fixtures_dir,
            *paths_of,
            progress,
            samples=samples,
            quick=quick,
            extra_env=extra_env,
            only=only,
            label=None,
        )
        docs[side].append(doc)
        return elapsed

    number = 0
    while True:
        number += 1
        todo = [i for i in range(len(groups)) if done[i] < wanted[i]]
        if not todo:
            break
        progress.phase(
            f"measuring performance, round {number}: "
            + ", ".join(
                f"{len(groups[i][0])} {'every-sample' if groups[i][1] else 'time'}" f" gate(s)"
                for i in todo
            )
            + (" of both builds (A/B)" if len(impls) > 1 else "")
        )
        elapsed_total = 0.0
        # A/B: the candidate first in odd rounds, the baseline build first in even ones
        order = list(impls) if number % 2 == 1 else list(reversed(list(impls)))
        for i in todo:
            operations, every = groups[i]
            for side in order:
                kind = "scale" if every else "timed"
                elapsed_total += run_process(
                    side, round_paths_of(out_dir, number, kind, side), operations
                )
            done[i] += 1
        operations_run = [op for i in todo for op in groups[i][0]]
        cold = cold_operations(budgets) if number == 1 else []
        if cold:
            elapsed_total += run_process(CURRENT, round_paths(out_dir, number, "cold"), cold)
            operations_run += cold
        summary.append(
            {"round": number, "operations": operations_run, "elapsed_s": round(elapsed_total, 3)}
        )
        if any(done[i] < wanted[i] for i in range(len(groups))):
            continue
        waiting = undecided(gates.evaluate_all(budgets, merge(docs[CURRENT])), number, max_rounds)
        timed_index = next((i for i, (_, every) in enumerate(groups) if not every), None)
        if not waiting or timed_index is None or done[timed_index] >= max_rounds:
            break
        progress.note(f"undecided after {number} round(s): {', '.join(waiting)}")
        wanted[timed_index] = done[timed_index] + 1
    progress.finish()
    merged = merge(docs[CURRENT])
    records = gates.evaluate_all(budgets, merged)
    merged["elapsed_s"] = round(time.monotonic() - start, 3)
    files.write_json(os.path.join(out_dir, MERGED_NAME), merged)
    against = None
    if AGAINST in impls:
        against = merge(docs[AGAINST])
        files.write_json(os.path.join(out_dir, AGAINST_NAME), against)
    return merged, records, summary, against
