"""Self-calibration of the regression rule: A/A comparisons between independent runs of the same
build, and the same comparisons with a slowdown injected into one side.

Given N runs (each a full gate measurement: rounds of coremod-bench, samples per gate), every
ordered pair (a, b) with a != b is compared with regression.compare, run a as the baseline and run
b as the current run: N (N - 1) A/A comparisons, each over every gate at once (Holm-corrected as
in real use). A gate flagged as a regression there is a false positive. The noise floor of a gate
is the 95th percentile of |median ratio - 1| over those pairs: the change the machine produces by
itself between two runs.

Detection: for each pair and each gate, the current run's samples of that one gate are made
worse (times and memory multiplied by the factor, capacities divided by it; the same-run
reference left alone), the others left alone, and the comparison must call that gate a
regression: 10 % between two quiet runs, 20 % when either run had a background load (`coremod
calibrate --load`). The pairs are between *different* runs, so the injected change has to stand
out from the run-to-run noise and from the change of load between them, not only from the
sampling noise within one run.

The A/B calibration (analyse_ab, `coremod calibrate --ab`) judges the rule the nightly gate uses
when the baseline build is at hand: every run measures the build against itself in the same
rounds (rounds.measure_ab), so one run is one A/A comparison, paired round by round; with a
cycling background load the load changes during the run, at times of its own. Detection: the
candidate side of one gate made worse, as above; 10 % in runs with no load, 20 % in the others.
"""
import itertools

import numpy as np

from coremodlib.judge import regression
from coremodlib import stats
from coremodlib.judge.gates import lower_is_better

INJECTED_SLOWDOWN = 1.10
# Under load the goal is looser (docs/gates.md, "Calibration"): a 20 % slowdown caught when
# either run was loaded.
LOADED_SLOWDOWN = 1.20


def noise_floor(ratios, percentile=95):
    """The `percentile`-th percentile of |ratio - 1| (None without ratios)."""
    values = [abs(r - 1.0) for r in ratios if r is not None]
    return stats.percentile(values, percentile) if values else None


def _slowed(budget, series, factor):
    """The series with its samples made `factor` worse; its reference untouched (a slower
    candidate does not slow the workload measured beside it)."""
    scale = factor if lower_is_better(budget) else 1.0 / factor
    slowed = dict(series, samples=[v * scale for v in series["samples"]])
    if series.get("round_p50"):
        slowed["round_p50"] = [v * scale for v in series["round_p50"]]
    return slowed


def _new_figures(budget):
    return {
        "comparisons": 0,
        "false_regressions": 0,
        "false_improvements": 0,
        "inconclusive": 0,
        "detections": 0,
        "ratios": [],
        "min_effect": budget.min_effect,
        "quiet_trials": 0,
        "quiet_detections": 0,
        "loaded_trials": 0,
        "loaded_detections": 0,
        "load_change_comparisons": 0,
        "load_change_false_regressions": 0,
    }


def analyse(budgets, runs, loads=None, slowdown=INJECTED_SLOWDOWN, loaded_slowdown=LOADED_SLOWDOWN):
    """Per-gate and overall A/A figures of `runs` ([{operation: measured entry}], each entry as
    baseline.measured_samples gives it: samples, rounds, same-run reference), measured with
    `loads[i]` busy processes beside run i (None: all quiet).

    Every ordered pair (a, b) of different runs is one A/A comparison of stored samples (run a
    the baseline), with the rule used in real use (regression.compare, Holm over every gate).
    Then, gate by gate, the current run's samples of that one gate are made worse: by `slowdown`
    (10 %) when both runs were quiet, by `loaded_slowdown` (20 %) when either was loaded, and
    the comparison must call it a regression.

    Returns {"runs", "pairs", "loads", "gates": {operation: {"comparisons",
    "false_regressions", "false_improvements", "inconclusive", "false_positive_rate",
    "load_change_comparisons", "load_change_false_regressions", "noise_floor",
    "max_abs_change", "quiet_trials", "quiet_detections", "quiet_detection_rate",
    "loaded_trials", "loaded_detections", "loaded_detection_rate", "detection_rate",
    "min_effect"}}, "any_gate_false_positive_rate"}. Only gates measured in every run are
    analysed."""
    loads = list(loads) if loads is not None else [0] * len(runs)
    compared = [b for b in budgets if all(b.operation in run for run in runs)]
    sides = [
        {b.operation: regression.side(run[b.operation], b.unit) for b in compared} for run in runs
    ]
    pairs = list(itertools.permutations(range(len(runs)), 2))
    per_gate = {b.operation: _new_figures(b) for b in compared}
    any_false = 0
    for a, b in pairs:
        quiet = loads[a] == 0 and loads[b] == 0
        any_false += _count_comparison(
            compared,
            per_gate,
            f"run {a + 1}",
            sides[b],
            sides[a],
            runs[b],
            quiet=quiet,
            load_changed=loads[a] != loads[b],
            factor=slowdown if quiet else loaded_slowdown,
            paired=False,
        )
    result = _summarised(per_gate, len(runs), len(pairs), slowdown, loaded_slowdown, any_false)
    result.update(mode="stored", loads=loads)
    return result


def analyse_ab(budgets, runs, slowdown=INJECTED_SLOWDOWN, loaded_slowdown=LOADED_SLOWDOWN):
    """Per-gate A/A figures of A/B runs of one build against itself: `runs` [{"gates":
    {operation: measured entry} of the candidate side, "against": the same of the baseline side,
    "quiet": whether no background load ran}]. Each run is one paired comparison
    (regression.compare, paired=True, Holm over every gate); then, gate by gate, the candidate
    side made worse by `slowdown` (quiet runs) or `loaded_slowdown` (loaded ones).

    Returns the figures of analyse() (load_change_*: the loaded runs, whose load changed while
    they ran), "mode": "A/B"."""
    compared = [
        b
        for b in budgets
        if all(b.operation in run["gates"] and b.operation in run["against"] for run in runs)
    ]
    per_gate = {b.operation: _new_figures(b) for b in compared}
    any_false = 0
    for number, run in enumerate(runs, 1):
        old = {b.operation: regression.side(run["against"][b.operation], b.unit) for b in compared}
        new = {b.operation: regression.side(run["gates"][b.operation], b.unit) for b in compared}
        any_false += _count_comparison(
            compared,
            per_gate,
            f"run {number}, baseline side",
            new,
            old,
            run["gates"],
            quiet=run["quiet"],
            load_changed=not run["quiet"],
            factor=slowdown if run["quiet"] else loaded_slowdown,
            paired=True,
        )
    result = _summarised(per_gate, len(runs), len(runs), slowdown, loaded_slowdown, any_false)
    result.update(mode="A/B", quiet_runs=sum(1 for run in runs if run["quiet"]))
    return result


def _count_comparison(
    compared, per_gate, name, new, old, new_series, quiet, load_changed, factor, paired
):
    """Judges one A/A comparison of every gate in `compared` (`new`, `old`: regression.side() of
    each gate, `new_series`: the new side's measured entries) and counts it into `per_gate`; then,
    gate by gate, the same comparison with that gate's new side made worse by `factor`, the other
    rows unchanged, counted as a quiet or loaded trial. Returns whether any gate was falsely
    called a regression."""
    rows = [
        regression.measure_change(b, new[b.operation], old[b.operation], paired=paired)
        for b in compared
    ]
    result = regression.judge(rows, name)
    kind = "quiet" if quiet else "loaded"
    flagged = False
    for index, budget in enumerate(compared):
        row, figures = result[budget.operation], per_gate[budget.operation]
        regressed = row["result"] == "regression"
        figures["comparisons"] += 1
        figures["ratios"].append(row["change_ratio"])
        if load_changed:
            figures["load_change_comparisons"] += 1
            figures["load_change_false_regressions"] += regressed
        figures["false_regressions"] += regressed
        figures["false_improvements"] += row["result"] == "improvement"
        figures["inconclusive"] += row["result"] == "inconclusive"
        flagged = flagged or regressed
        slowed = regression.side(_slowed(budget, new_series[budget.operation], factor), budget.unit)
        slowed_rows = list(rows)
        slowed_rows[index] = regression.measure_change(
            budget, slowed, old[budget.operation], paired=paired
        )
        caught = regression.judge(slowed_rows, name)[budget.operation]["result"] == "regression"
        figures[f"{kind}_trials"] += 1
        figures[f"{kind}_detections"] += caught
        figures["detections"] += caught
    return flagged


def _summarised(per_gate, n_runs, n_pairs, slowdown, loaded_slowdown, any_false):
    """The result of analyse()/analyse_ab() from the per-gate counts."""
    gates = {}
    for operation, figures in per_gate.items():
        n = figures["comparisons"]
        ratios = figures.pop("ratios")
        rate = lambda hits, trials: hits / trials if trials else None  # noqa: E731
        gates[operation] = dict(
            figures,
            false_positive_rate=rate(figures["false_regressions"], n),
            detection_rate=rate(figures["detections"], n),
            quiet_detection_rate=rate(figures["quiet_detections"], figures["quiet_trials"]),
            loaded_detection_rate=rate(figures["loaded_detections"], figures["loaded_trials"]),
            noise_floor=noise_floor(ratios),
            max_abs_change=max((abs(r - 1) for r in ratios if r is not None), default=None),
            median_ratio_spread=_spread(ratios),
        )
    return {
        "runs": n_runs,
        "pairs": n_pairs,
        "slowdown": slowdown,
        "loaded_slowdown": loaded_slowdown,
        "alpha": regression.ALPHA,
        "gates": gates,
        "any_gate_false_positives": any_false,
        "any_gate_false_positive_rate": any_false / n_pairs if n_pairs else None,
    }


def _spread(ratios):
    values = [r for r in ratios if r is not None]
    return [float(np.min(values)), float(np.max(values))] if values else None
