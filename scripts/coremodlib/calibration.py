"""Self-calibration of the regression rule: A/A comparisons between independent runs of the same
build, and the same comparisons with a slowdown injected into one side.

Given N runs (each a full gate measurement: rounds of coremod-bench, samples per gate), every
ordered pair (a, b) with a != b is compared with regression.compare, run a as the baseline and run
b as the current run: N (N - 1) A/A comparisons, each over every gate at once (Holm-corrected as
in real use). A gate flagged as a regression there is a false positive. The noise floor of a gate
is the 95th percentile of |median ratio - 1| over those pairs: the change the machine produces by
itself between two runs.

Detection: for each pair and each gate, the current run's samples of that one gate are made 10 %
worse (times and memory multiplied by 1.10, capacities divided by it), the others left alone, and
the comparison must call that gate a regression. The pairs are between *different* runs, so the
injected change has to stand out from the run-to-run noise, not only from the sampling noise
within one run.
"""
import itertools

import numpy as np

from . import regression, stats
from .gates import lower_is_better

INJECTED_SLOWDOWN = 1.10


def noise_floor(ratios, percentile=95):
    """The `percentile`-th percentile of |ratio - 1| (None without ratios)."""
    values = [abs(r - 1.0) for r in ratios if r is not None]
    return stats.percentile(values, percentile) if values else None


def _slowed(budget, samples, factor):
    """The samples made `factor` worse."""
    scale = factor if lower_is_better(budget) else 1.0 / factor
    return [v * scale for v in samples]


def analyse(budgets, runs, slowdown=INJECTED_SLOWDOWN):
    """Per-gate and overall A/A figures of `runs` ([{operation: {"unit", "samples"}}]).

    Returns {"runs", "pairs", "gates": {operation: {"comparisons", "false_regressions",
    "false_improvements", "false_positive_rate", "noise_floor", "max_abs_change",
    "detections", "detection_rate", "min_effect"}}, "any_gate_false_positive_rate"}. Only gates
    measured in every run are analysed."""
    compared = [b for b in budgets if all(b.operation in run for run in runs)]
    # every run's samples in the budgets' units, once
    converted = [{b.operation: regression.in_unit(run[b.operation], b.unit) for b in compared}
                 for run in runs]
    platform = [{b.operation: regression.platform_in_unit(run[b.operation], b.unit)
                 for b in compared} for run in runs]
    pairs = list(itertools.permutations(range(len(runs)), 2))
    per_gate = {b.operation: {"comparisons": 0, "false_regressions": 0, "false_improvements": 0,
                              "detections": 0, "ratios": [], "min_effect": b.min_effect}
                for b in compared}
    any_false = 0
    for a, b in pairs:
        name = f"run {a + 1}"
        rows = [regression.measure_change(budget, converted[b][budget.operation],
                                          converted[a][budget.operation],
                                          platform[b][budget.operation],
                                          platform[a][budget.operation])
                for budget in compared]
        result = regression.judge(rows, name)
        flagged = False
        for budget in compared:
            row, figures = result[budget.operation], per_gate[budget.operation]
            figures["comparisons"] += 1
            figures["ratios"].append(row["change_ratio"])
            if row["result"] == "regression":
                figures["false_regressions"] += 1
                flagged = True
            elif row["result"] == "improvement":
                figures["false_improvements"] += 1
        any_false += flagged
        # the same comparison with one gate made worse; the other gates' rows are unchanged
        for index, budget in enumerate(compared):
            slowed_rows = list(rows)
            # the candidate is slower; the platform loader timed beside it is not
            slowed_rows[index] = regression.measure_change(
                budget, _slowed(budget, converted[b][budget.operation], slowdown),
                converted[a][budget.operation], platform[b][budget.operation],
                platform[a][budget.operation])
            slowed = regression.judge(slowed_rows, name)
            per_gate[budget.operation]["detections"] += \
                slowed[budget.operation]["result"] == "regression"
    gates = {}
    for operation, figures in per_gate.items():
        n = figures["comparisons"]
        ratios = figures.pop("ratios")
        gates[operation] = dict(
            figures,
            false_positive_rate=figures["false_regressions"] / n if n else None,
            detection_rate=figures["detections"] / n if n else None,
            noise_floor=noise_floor(ratios),
            max_abs_change=max((abs(r - 1) for r in ratios if r is not None), default=None),
            median_ratio_spread=_spread(ratios))
    return {"runs": len(runs), "pairs": len(pairs), "slowdown": slowdown,
            "alpha": regression.ALPHA, "gates": gates,
            "any_gate_false_positives": any_false,
            "any_gate_false_positive_rate": any_false / len(pairs) if pairs else None}


def _spread(ratios):
    values = [r for r in ratios if r is not None]
    return [float(np.min(values)), float(np.max(values))] if values else None
