"""Comparing a run with a baseline, gate by gate: regression, improvement or no change.

A gate has *regressed* when both hold:
1. the change is statistically significant: the one-sided Mann-Whitney U test on the raw samples
   (the current run worse than the baseline) gives a p-value that, Holm-corrected for the number
   of gates compared, is under ALPHA;
2. the change is larger than the gate's minimum effect (budgets.toml `min_effect`, default 0.05):
   the ratio of medians current/baseline is above 1 + min_effect (below 1 - min_effect for gates
   where more is better, such as a capacity).
An *improvement* is the mirror image (its own one-sided test, its own Holm family); anything else
is *no change*.

Gates for which the runner also timed the platform loader doing the same job on the same files,
interleaved in the same processes (module_load with dlopen, module_unload with dlclose,
module_get_symbol with dlsym: the "raw baseline"), are compared *relative to the platform*: each
run's samples are divided by that run's platform median before the test and the ratio. The
machine's own drift between two runs (another VM on the host, the page cache, the kernel) slows
the platform loader as much as the candidate and cancels out; a slower candidate does not slow
the platform. On the 2-core VM this cut the run-to-run spread of module_unload from 1.1-1.5 % to
0.3 % (docs/gates.md). The platform's own change is reported beside (`platform_ratio`). The test alone would not do: samples of one run are not independent draws (they
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


def platform_in_unit(series, unit):
    """A series' platform median in `unit`, or None."""
    value = series.get("platform_p50")
    return None if not value else units.convert(float(value), series["unit"], unit)


def in_unit(series, unit):
    """A series' samples ({"unit", "samples"}) as floats in `unit`."""
    factor = units.convert(1.0, series["unit"], unit)
    return [float(v) * factor for v in series["samples"]]


def measure_change(budget, new_samples, old_samples, new_platform=None, old_platform=None):
    """The statistics of one gate's change (samples in the budget's unit): {"budget", "ratio"
    (median new / median old), "p_worse", "p_better" (one-sided Mann-Whitney U),
    "platform_ratio"}. With both runs' platform medians, the samples are first divided by them
    (the comparison is relative to the platform loader) and platform_ratio is new / old."""
    relative = bool(new_platform) and bool(old_platform)
    if relative:
        new_samples = [v / new_platform for v in new_samples]
        old_samples = [v / old_platform for v in old_samples]
    worse_alt, better_alt = ("greater", "less") if lower_is_better(budget) else ("less", "greater")
    return {
        "budget": budget,
        "ratio": stats.ratio(stats.median(new_samples), stats.median(old_samples)),
        "p_worse": stats.mann_whitney_p(new_samples, old_samples, worse_alt),
        "p_better": stats.mann_whitney_p(new_samples, old_samples, better_alt),
        "platform_ratio": new_platform / old_platform if relative else None,
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
            "statistic": ("median relative to the platform loader"
                          if row.get("platform_ratio") is not None else "median"),
            "platform_ratio": row.get("platform_ratio"),
            "every_sample_gate": budget.statistic in EVERY_SAMPLE,
        }
    return out


def compare(budgets, current, baseline, baseline_name, alpha=ALPHA):
    """{operation: comparison} for every budget measured in both runs.

    `current`, `baseline`: {operation: {"unit": u, "samples": [...], optional "platform_p50"}}.
    A comparison is {"baseline", "change_ratio", "p_value", "p_adjusted", "p_worse", "p_better",
    "min_effect", "alpha", "result", "statistic", "platform_ratio"}; p_value/p_adjusted are
    those of the direction reported (the worse one unless the result is an improvement). Gates
    without samples on either side are left out."""
    rows = []
    for budget in budgets:
        new, old = current.get(budget.operation), baseline.get(budget.operation)
        if not new or not old or not new.get("samples") or not old.get("samples"):
            continue
        rows.append(measure_change(budget, in_unit(new, budget.unit), in_unit(old, budget.unit),
                                   platform_in_unit(new, budget.unit),
                                   platform_in_unit(old, budget.unit)))
    return judge(rows, baseline_name, alpha)


def p_text(p):
    """A p-value for people: two digits, and "<1e-16" below double precision's resolution
    (scipy returns 0.0 there)."""
    return "<1e-16" if p < 1e-16 else f"{p:.2g}"


def describe(operation, comparison):
    """One line: 'module_load: regression, median +21.3% (p_adj <1e-16, min effect 5%)'."""
    ratio = comparison["change_ratio"]
    change = "n/a" if ratio is None else f"{(ratio - 1) * 100:+.1f}%"
    platform = comparison.get("platform_ratio")
    relative = ("" if platform is None else
                f", relative to the platform loader, which changed {(platform - 1) * 100:+.1f}%")
    return (f"{operation}: {comparison['result'].replace('_', ' ')}, median {change}{relative} "
            f"(p_adj {p_text(comparison['p_adjusted'])}, min effect "
            f"{comparison['min_effect'] * 100:g}%)")


def regressions(gate_records):
    """Operations whose baseline comparison is a regression."""
    return [g["operation"] for g in gate_records
            if (g.get("baseline_comparison") or {}).get("result") == "regression"]
