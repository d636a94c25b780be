"""Comparing a run with a baseline, gate by gate: regression, improvement, no change, or
inconclusive when the conditions of the two runs differ too much to tell.

What is compared. Every time gate has a *same-run reference*, measured interleaved with it in the
same processes: the platform loader doing the same job (module_load with dlopen, module_unload
with dlclose, module_get_symbol with dlsym) or, for the other gates, a workload of the runner's own
that stresses the same resources (perf/bench/bench_reference.h). Each sample is divided by the
median of its round's reference before anything else, so what slows the machine during a run
slows both sides of the ratio and cancels; a slower candidate does not slow its reference. The
reference's own change between the runs is reported (`reference_ratio`).

A gate has *regressed* when all of these hold:
1. the one-sided Mann-Whitney U test on the relative samples (current worse than the baseline),
   Holm-corrected over the gates compared, gives p < ALPHA;
2. the effect's confidence interval lies above the threshold: the Hodges-Lehmann estimate of the
   shift of log(relative samples), with its 95 % distribution-free interval (stats.py), has its
   lower bound above log(1 + threshold), where the threshold is the larger of the gate's
   `min_effect` (budgets.toml) and the *noise floor* of this comparison;
3. the conditions of the two runs are comparable (see below).
The noise floor is measured in this comparison, from the spread between rounds: each round (one
process) gives one value, the log median of its relative samples, and the floor is the shift that
this spread produces by itself in 1 % of comparisons (stats.round_noise_floor). Samples of one
process are not independent draws (they share the process's memory layout and its share of the
machine), so the sample-level test and interval alone call 1-3 % differences between two runs of
the same build significant; the rounds are the independent units, and the floor says how far
apart two runs of the same build can be. An *improvement* is the mirror image.

Two ways of getting the baseline's samples:
- *A/B* (`gate --against`, `nightly` with the last good build at hand): both builds measured in
  the same rounds, interleaved, so both saw the same machine; rounds are paired (round i of one
  beside round i of the other) and the floor comes from the paired differences.
- *stored* samples (`gate --baseline`, `nightly` without the last good build): the runs were
  measured at different times. The conditions are compared: when the references moved between
  the runs by more than the floor, the machine changed under the candidate and the relative
  comparison cancels only part of it, so the threshold is widened by the whole move of the
  reference; beyond CONDITIONS_INCONCLUSIVE the result is `inconclusive` ("conditions changed",
  said in words with the load averages of both runs), never a regression.
"""
import math

import numpy as np

from coremodlib import stats, units
from coremodlib.records.budgets import DEFAULT_MIN_EFFECT
from coremodlib.judge.gates import EVERY_SAMPLE, lower_is_better

ALPHA = 0.01
RESULTS = ("regression", "improvement", "no_change", "inconclusive")
# How far the same-run reference may move between two stored runs before the comparison is
# inconclusive: beyond it the machine is too different for the relative samples to be trusted.
CONDITIONS_INCONCLUSIVE = 0.25
# A/B runs with at least this many paired rounds are judged round by round (measure_change): the
# signed-rank interval needs a few pairs, and the every-sample gates' 3 rounds stay on samples.
MIN_PAIRED_ROUNDS = 10
# A change of the 1-minute load average per core between the runs that is said in words.
LOAD_CHANGE_PER_CORE = 0.5
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


def load_change(baseline_noise, current_noise):
    """'load average 0.31 -> 2.40 on 2 core(s)' when the load before measuring changed by more
    than LOAD_CHANGE_PER_CORE per core between the runs, else None."""
    old = ((baseline_noise or {}).get("loadavg") or [None])[0]
    new = ((current_noise or {}).get("loadavg") or [None])[0]
    cores = (current_noise or {}).get("cores_usable") or (current_noise or {}).get("cores") or 1
    if old is None or new is None or abs(new - old) <= LOAD_CHANGE_PER_CORE * cores:
        return None
    return f"load average {old:.2f} -> {new:.2f} on {cores} core(s)"


# ---- one side of a comparison -------------------------------------------------------------------


def reference_in_unit(series, unit):
    """(median of the reference over the run, [median per round] or None) in `unit`; (None, None)
    without a reference. Stored data of older harness versions name it platform_p50."""
    factor = units.convert(1.0, series["unit"], unit)
    overall = series.get("reference_p50", series.get("platform_p50"))
    per_round = series.get("reference_round_p50")
    return (
        float(overall) * factor if overall else None,
        [float(v) * factor for v in per_round] if per_round else None,
    )


def in_unit(series, unit):
    """A series' samples ({"unit", "samples"}) as floats in `unit`."""
    factor = units.convert(1.0, series["unit"], unit)
    return [float(v) * factor for v in series["samples"]]


def _rounds_of(values, round_sizes):
    """`values` split into its rounds, or one round when the sizes do not describe them."""
    sizes = [int(s) for s in (round_sizes or [])]
    if not sizes or sum(sizes) != len(values) or any(s <= 0 for s in sizes):
        return [values]
    out, start = [], 0
    for size in sizes:
        out.append(values[start : start + size])
        start += size
    return out


def side(series, unit, use_reference=True):
    """One run of one gate, ready to compare: {"relative" (each sample divided by its round's
    reference median, or the run's, or the raw samples without a reference or with
    use_reference False), "rounds" (the relative samples per round), "reference_p50",
    "relative_to"}."""
    values = in_unit(series, unit)
    overall, per_round = reference_in_unit(series, unit) if use_reference else (None, None)
    rounds = _rounds_of(values, series.get("round_sizes"))
    divisors, relative_to = _divisors(len(rounds), overall, per_round)
    if divisors:
        rounds = [[v / d for v in r] for r, d in zip(rounds, divisors)]
    return {
        "relative": [v for r in rounds for v in r],
        "rounds": rounds,
        "round_medians": _round_medians(series, unit, overall, per_round),
        "reference_p50": overall,
        "reference": (series.get("reference") or series.get("platform") or "unnamed")
        if overall
        else None,
        "relative_to": relative_to,
    }


def _divisors(count, overall, per_round):
    """(what each of `count` rounds is divided by, "round" / "run" / None): its round's reference
    median when there is one per round, else the run's, else nothing."""
    if per_round and len(per_round) == count and all(v > 0 for v in per_round):
        return list(per_round), "round"
    if overall:
        return [overall] * count, "run"
    return None, None


def _round_medians(series, unit, overall, per_round):
    """Each round's median from all its samples (series["round_p50"], which survives thinning),
    relative to its round's reference median, or the run's, as side()'s samples are; None when
    the series has none."""
    p50 = series.get("round_p50")
    if not p50 or any(float(v) <= 0 for v in p50):
        return None
    factor = units.convert(1.0, series["unit"], unit)
    values = [float(v) * factor for v in p50]
    divisors, _ = _divisors(len(values), overall, per_round)
    return [v / d for v, d in zip(values, divisors)] if divisors else values


def _scale(values, positive):
    return np.log(values) if positive else np.asarray(values, dtype=float)


def measure_change(budget, new, old, paired=False, conditions=None):
    """The statistics of one gate's change. `new`, `old`: side() of each run. Returns a row for
    judge(): {"budget", "ratio" (median new / median old, relative samples), "p_worse",
    "p_better", "effect" [estimate, low, high] (as ratios new/old, worse above 1 for a time),
    "noise_floor", "reference_ratio", "paired", "conditions", "by_rounds"}.

    A/B runs of at least MIN_PAIRED_ROUNDS rounds (and positive figures) are judged on the
    rounds themselves: the differences d_i of the log medians of round i of each build, with the
    Wilcoxon signed-rank test and the paired Hodges-Lehmann estimate and interval (Walsh
    averages); "ratio" is then exp(median d_i). A process's speed is bimodal on the 2-core VM
    (module_get_symbol runs at about 49 or 68 ns per call, whichever build, for the whole
    process), and the pooled samples' median or shift jumps between the modes when the two
    builds' shares of slow processes differ by chance (17 % between two sides of one A/A run):
    round by round, a mode costs one pair, not the verdict."""
    a, b = new["relative"], old["relative"]
    worse_alt, better_alt = ("greater", "less") if lower_is_better(budget) else ("less", "greater")
    both_relative = bool(new["relative_to"]) and bool(old["relative_to"])
    positive = min(min(a), min(b)) > 0
    if positive and new.get("round_medians") and old.get("round_medians"):
        round_values = [[math.log(v) for v in s["round_medians"]] for s in (new, old)]
    else:
        round_values = [
            [float(np.median(_scale(r, positive))) for r in s["rounds"] if r] for s in (new, old)
        ]
    floor = stats.round_noise_floor(round_values[0], round_values[1], paired=paired, alpha=ALPHA)
    by_rounds = (
        paired and positive and len(round_values[0]) == len(round_values[1]) >= MIN_PAIRED_ROUNDS
    )
    to_ratio = math.exp if positive else (lambda v: 1.0 + v)
    if by_rounds:
        d = np.asarray(round_values[0]) - np.asarray(round_values[1])
        estimate, low, high = stats.hodges_lehmann_paired(d)
        ratio = math.exp(float(np.median(d)))
        p_worse, p_better = stats.signed_rank_p(d, worse_alt), stats.signed_rank_p(d, better_alt)
    else:
        if positive:
            estimate, low, high = stats.hodges_lehmann_shift(np.log(a), np.log(b))
        else:  # zeros (a count, a byte figure): the shift relative to the baseline's median
            center = stats.median(b) or 1.0
            estimate, low, high = stats.hodges_lehmann_shift(
                np.asarray(a) / center, np.asarray(b) / center
            )
        ratio = stats.ratio(stats.median(a), stats.median(b))
        p_worse = stats.mann_whitney_p(a, b, worse_alt)
        p_better = stats.mann_whitney_p(a, b, better_alt)
    reference_ratio = (
        new["reference_p50"] / old["reference_p50"]
        if new["reference_p50"] and old["reference_p50"]
        else None
    )
    return {
        "budget": budget,
        "ratio": ratio,
        "p_worse": p_worse,
        "p_better": p_better,
        "effect": [
            to_ratio(estimate),
            None if low is None else to_ratio(low),
            None if high is None else to_ratio(high),
        ],
        "noise_floor": None if floor is None else to_ratio(floor) - 1.0,
        "rounds": [len(round_values[0]), len(round_values[1])],
        "reference_ratio": reference_ratio,
        "reference": new.get("reference"),
        "relative": both_relative,
        "paired": paired,
        "by_rounds": by_rounds,
        "conditions": list(conditions or []),
    }


def _threshold(row, min_effect):
    """(threshold, widened_by, inconclusive reason or None) of one row: the larger of min_effect
    and the noise floor; for stored samples widened by the reference's move, or inconclusive.
    A/B rows judged by rounds: min_effect alone, as their interval is made of the rounds
    themselves and already holds the spread between them that the floor measures."""
    floor = row["noise_floor"] or 0.0
    threshold = min_effect if row.get("by_rounds") else max(min_effect, floor)
    moved = row["reference_ratio"]
    if row["paired"] or moved is None:
        return threshold, 0.0, None
    shift = abs(math.log(moved))
    reasons = list(row["conditions"])
    if shift > math.log(1.0 + CONDITIONS_INCONCLUSIVE):
        words = (
            f"conditions changed: the same-run reference ({row['reference']}) ran "
            f"{(moved - 1) * 100:+.0f}% against the baseline's run"
        )
        return threshold, 0.0, "; ".join([words] + reasons)
    if shift > math.log(1.0 + floor):
        widened = math.exp(shift) - 1.0
        return threshold + widened, widened, None
    return threshold, 0.0, None


def judge(rows, baseline_name, alpha=ALPHA):
    """{operation: comparison} from measure_change() rows of every gate compared: the p-values
    are Holm-corrected over those rows (one family for regressions, one for improvements)."""
    adjusted_worse = stats.holm([r["p_worse"] for r in rows])
    adjusted_better = stats.holm([r["p_better"] for r in rows])
    out = {}
    for row, adj_worse, adj_better in zip(rows, adjusted_worse, adjusted_better):
        budget = row["budget"]
        min_effect = getattr(budget, "min_effect", DEFAULT_MIN_EFFECT)
        threshold, widened, inconclusive = _threshold(row, min_effect)
        estimate, low, high = row["effect"]
        if lower_is_better(budget):
            worse = low is not None and low > 1.0 + threshold
            better = high is not None and high < 1.0 / (1.0 + threshold)
        else:
            worse = high is not None and high < 1.0 / (1.0 + threshold)
            better = low is not None and low > 1.0 + threshold
        if inconclusive:
            result, p, p_adj = "inconclusive", row["p_worse"], adj_worse
        elif worse and adj_worse < alpha:
            result, p, p_adj = "regression", row["p_worse"], adj_worse
        elif better and adj_better < alpha:
            result, p, p_adj = "improvement", row["p_better"], adj_better
        else:
            result, p, p_adj = "no_change", row["p_worse"], adj_worse
        out[budget.operation] = {
            "baseline": baseline_name,
            "change_ratio": row["ratio"],
            "p_value": p,
            "p_adjusted": p_adj,
            "p_worse": row["p_worse"],
            "p_better": row["p_better"],
            "effect": estimate,
            "effect_ci": [low, high],
            "noise_floor": row["noise_floor"],
            "threshold": threshold,
            "widened_by": widened,
            "rounds": row["rounds"],
            "min_effect": min_effect,
            "alpha": alpha,
            "result": result,
            "inconclusive_reason": inconclusive,
            "mode": "A/B" if row["paired"] else "stored",
            "statistic": (
                ("paired rounds' medians" if row["by_rounds"] else "median")
                + (
                    f" relative to the same-run reference ({row['reference']})"
                    if row["relative"]
                    else ""
                )
            ),
            "reference": row["reference"] if row["relative"] else None,
            "reference_ratio": row["reference_ratio"] if row["relative"] else None,
            "every_sample_gate": budget.statistic in EVERY_SAMPLE,
        }
    return out


def compare(budgets, current, baseline, baseline_name, alpha=ALPHA, paired=False, conditions=None):
    """{operation: comparison} for every budget measured in both runs.

    `current`, `baseline`: {operation: {"unit": u, "samples": [...], optional "round_sizes",
    "reference", "reference_p50", "reference_round_p50"}} (baseline.measured_samples; stored
    data may name the reference platform_p50). `paired`: the A/B mode, both measured in the
    same rounds. `conditions`: words about how the runs' conditions differ (load_change), added
    to an inconclusive result's reason. Gates without samples on either side are left out."""
    rows = []
    for budget in budgets:
        new, old = current.get(budget.operation), baseline.get(budget.operation)
        if not new or not old or not new.get("samples") or not old.get("samples"):
            continue
        new_side, old_side = side(new, budget.unit), side(old, budget.unit)
        if bool(new_side["relative_to"]) != bool(old_side["relative_to"]):
            # a reference on one side only: compare the raw samples of both
            new_side = side(new, budget.unit, use_reference=False)
            old_side = side(old, budget.unit, use_reference=False)
        rows.append(
            measure_change(budget, new_side, old_side, paired=paired, conditions=conditions)
        )
    return judge(rows, baseline_name, alpha)


def p_text(p):
    """A p-value for people: two digits, and "<1e-16" below double precision's resolution
    (scipy returns 0.0 there)."""
    return "<1e-16" if p < 1e-16 else f"{p:.2g}"


def describe(operation, comparison):
    """One line: 'module_load: regression, +21.3% [+19.0%, +23.5%] relative to the same-run
    reference (dlopen), which changed +1.2%; threshold 6.1% (noise floor 6.1%, min effect 5%),
    A/B, p_adj <1e-16'."""
    low, high = comparison.get("effect_ci") or [None, None]
    effect = comparison.get("effect", comparison.get("change_ratio"))
    reference = comparison.get("reference")
    relative = ""
    if reference:
        moved = comparison.get("reference_ratio")
        relative = f" relative to the same-run reference ({reference})" + (
            ""
            if moved is None or comparison.get("mode") == "A/B"
            else f", which changed {units.signed_percent(moved)}"
        )
    floor = comparison.get("noise_floor")
    rule = (
        f"threshold {comparison.get('threshold', comparison['min_effect']) * 100:.1f}% "
        f"(noise floor {'n/a' if floor is None else f'{floor * 100:.1f}%'}, min effect "
        f"{comparison['min_effect'] * 100:g}%"
        + (
            f", widened by {comparison['widened_by'] * 100:.1f}% as the reference moved"
            if comparison.get("widened_by")
            else ""
        )
        + ")"
    )
    show = units.signed_percent
    text = (
        f"{operation}: {comparison['result'].replace('_', ' ')}, {show(effect)} "
        f"[{show(low)}, {show(high)}]{relative}; {rule}, "
        f"{comparison.get('mode', 'stored')}, p_adj {p_text(comparison['p_adjusted'])}"
    )
    if comparison.get("inconclusive_reason"):
        text += f": {comparison['inconclusive_reason']}"
    return text


def regressions(gate_records):
    """Operations whose baseline comparison is a regression."""
    return [
        g["operation"]
        for g in gate_records
        if (g.get("baseline_comparison") or {}).get("result") == "regression"
    ]


def inconclusive(gate_records):
    """Operations whose baseline comparison is inconclusive (conditions changed)."""
    return [
        g["operation"]
        for g in gate_records
        if (g.get("baseline_comparison") or {}).get("result") == "inconclusive"
    ]
