"""Comparing a run with a baseline, gate by gate: regression, improvement or no change.

A gate has *regressed* when both hold:
1. the change is statistically significant: the one-sided Mann-Whitney U test on the raw samples
   (the current run worse than the baseline) gives a p-value that, Holm-corrected for the number
   of gates compared, is under ALPHA;
2. the change is larger than the gate's minimum effect (budgets.toml `min_effect`, default 0.05):
   the ratio of medians current/baseline is above 1 + min_effect (below 1 - min_effect for gates
   where more is better, such as a capacity).
An *improvement* is the mirror image (its own one-sided test, its own Holm family); anything else
is *no change*. The test alone would not do: samples of one run are not independent draws (they
share the process, the machine's state, the memory layout), so between two runs of the same build
it finds "significant" differences of 1-3 % most of the time. The minimum effect is the noise
floor the test cannot see; `coremod calibrate` measures it (docs/gates.md has the figures).
"""
from . import stats, units
from .budgets import DEFAULT_MIN_EFFECT
from .gates import EVERY_SAMPLE, lower_is_better

ALPHA = 0.01
RESULTS = ("regression", "improvement", "no_change")
# Facts that make two machines different for timing purposes (environment.collect keys).
MACHINE_FACTS = ("cpu_model", "cores", "machine", "kernel")


def machine_differences(baseline_env, current_env):
    """Warnings, one per machine fact that differs between the baseline's and this run's
    environment (facts unknown on either side are not compared)."""
    out = []
    for key in MACHINE_FACTS:
        old, new = (baseline_env or {}).get(key), (current_env or {}).get(key)
        if old in (None, "", "unknown") or new in (None, "", "unknown") or old == new:
            continue
        out.append(f"{key} differs: baseline {old!r}, this run {new!r}")
    return out


def _direction(budget, ratio, min_effect):
    """'worse', 'better' or None: whether the ratio of medians is beyond the minimum effect."""
    if ratio is None:
        return None
    if lower_is_better(budget):
        worse, better = ratio > 1 + min_effect, ratio < 1 - min_effect
    else:
        worse, better = ratio < 1 - min_effect, ratio > 1 + min_effect
    return "worse" if worse else "better" if better else None


def in_unit(series, unit):
    """A series' samples ({"unit", "samples"}) as floats in `unit`."""
    factor = units.convert(1.0, series["unit"], unit)
    return [float(v) * factor for v in series["samples"]]


def measure_change(budget, new_samples, old_samples):
    """The statistics of one gate's change (samples in the budget's unit): {"budget", "ratio"
    (median new / median old), "p_worse", "p_better" (one-sided Mann-Whitney U)}."""
    worse_alt, better_alt = ("greater", "less") if lower_is_better(budget) else ("less", "greater")
    return {
        "budget": budget,
        "ratio": stats.ratio(stats.median(new_samples), stats.median(old_samples)),
        "p_worse": stats.mann_whitney_p(new_samples, old_samples, worse_alt),
        "p_better": stats.mann_whitney_p(new_samples, old_samples, better_alt),
    }


def judge(rows, baseline_name, alpha=ALPHA):
    """{operation: comparison} from measure_change() rows of every gate compared: the p-values
    are Holm-corrected over those rows (one family for regressions, one for improvements)."""
    adjusted_worse = stats.holm([r["p_worse"] for r in rows])
    adjusted_better = stats.holm([r["p_better"] for r in rows])
    out = {}
    for row, adj_worse, adj_better in zip(rows, adjusted_worse, adjusted_better):
        budget = row["budget"]
        min_effect = getattr(budget, "min_effect", DEFAULT_MIN_EFFECT)
        direction = _direction(budget, row["ratio"], min_effect)
        if direction == "worse" and adj_worse < alpha:
            result, p, p_adj = "regression", row["p_worse"], adj_worse
        elif direction == "better" and adj_better < alpha:
            result, p, p_adj = "improvement", row["p_better"], adj_better
        else:
            result, p, p_adj = "no_change", row["p_worse"], adj_worse
        out[budget.operation] = {
            "baseline": baseline_name, "change_ratio": row["ratio"], "p_value": p,
            "p_adjusted": p_adj, "p_worse": row["p_worse"], "p_better": row["p_better"],
            "min_effect": min_effect, "alpha": alpha, "result": result,
            "statistic": "median", "every_sample_gate": budget.statistic in EVERY_SAMPLE,
        }
    return out


def compare(budgets, current, baseline, baseline_name, alpha=ALPHA):
    """{operation: comparison} for every budget measured in both runs.

    `current`, `baseline`: {operation: {"unit": u, "samples": [...]}}. A comparison is
    {"baseline", "change_ratio", "p_value", "p_adjusted", "p_worse", "p_better", "min_effect",
    "alpha", "result"}; p_value/p_adjusted are those of the direction reported (the worse one
    unless the result is an improvement). Gates without samples on either side are left out."""
    rows = []
    for budget in budgets:
        new, old = current.get(budget.operation), baseline.get(budget.operation)
        if not new or not old or not new.get("samples") or not old.get("samples"):
            continue
        rows.append(measure_change(budget, in_unit(new, budget.unit),
                                   in_unit(old, budget.unit)))
    return judge(rows, baseline_name, alpha)


def p_text(p):
    """A p-value for people: two digits, and "<1e-16" below double precision's resolution
    (scipy returns 0.0 there)."""
    return "<1e-16" if p < 1e-16 else f"{p:.2g}"


def describe(operation, comparison):
    """One line: 'module_load: regression, median +21.3% (p_adj <1e-16, min effect 5%)'."""
    ratio = comparison["change_ratio"]
    change = "n/a" if ratio is None else f"{(ratio - 1) * 100:+.1f}%"
    return (f"{operation}: {comparison['result'].replace('_', ' ')}, median {change} "
            f"(p_adj {p_text(comparison['p_adjusted'])}, min effect "
            f"{comparison['min_effect'] * 100:g}%)")


def regressions(gate_records):
    """Operations whose baseline comparison is a regression."""
    return [g["operation"] for g in gate_records
            if (g.get("baseline_comparison") or {}).get("result") == "regression"]
