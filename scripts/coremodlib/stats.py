"""Statistics of benchmark samples, computed with numpy and scipy. Every statistic the harness
reports is computed here (docs/gates.md explains the choices).

- Percentiles interpolate linearly between closest ranks (Hyndman & Fan type 7, numpy's default),
  so p50 of an even-sized set is the mean of the two middle values.
- The spread is the median absolute deviation (scipy.stats.median_abs_deviation, unscaled):
  robust to the outliers a noisy VM produces, unlike the standard deviation.
- Confidence intervals of percentiles are distribution-free order-statistic intervals: the number
  of samples below the true q-quantile is Binomial(n, q) whatever the distribution, so two order
  statistics bracket it with a probability computed exactly from scipy.stats.binom. Chosen over
  the bootstrap because they need no resampling (the same samples always give the same interval),
  are exact rather than asymptotic, and stay honest in the tail: a bootstrap interval of p99 can
  never reach above the largest sample, whereas the order-statistic interval says plainly when
  there are too few samples to bound p99 at all (the bound is then None).
- Two sets of samples are compared with the Mann-Whitney U test (scipy.stats.mannwhitneyu,
  one-sided) and the ratio of their medians; p-values of several gates are Holm-corrected.
"""
import math

import numpy as np
from scipy import stats as sps

CONFIDENCE = 0.95
PERCENTILES = (("p50", 50), ("p90", 90), ("p99", 99))


def _checked(samples):
    values = np.asarray([float(v) for v in samples], dtype=float)
    if values.size == 0:
        raise ValueError("no samples")
    bad = values[~np.isfinite(values)]
    if bad.size:
        raise ValueError(f"sample is not a finite number: {bad[0]}")
    return values


def percentile(samples, q):
    """The q-th percentile (0 <= q <= 100) of `samples`, linearly interpolated."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile out of range: {q}")
    return float(np.percentile(_checked(samples), q))


def median(samples):
    return percentile(samples, 50)


def mad(samples):
    """Median absolute deviation from the median (unscaled)."""
    return float(sps.median_abs_deviation(_checked(samples), scale=1.0))


def quantile_ci(samples, q, confidence=CONFIDENCE):
    """(low, high): a distribution-free confidence interval for the q-th percentile.

    With B ~ Binomial(n, q/100) the number of samples below the true quantile, the k-th smallest
    sample lies above the quantile with probability P(B <= k-1); the lower bound is the largest
    order statistic for which that is at most (1 - confidence)/2, the upper bound symmetrically.
    Either bound is None when n is too small for it: at 95 % an upper bound of p99 needs at least
    368 samples (min_samples_for_upper_bound), a lower bound of p50 at least 6."""
    if not 0 < q < 100:
        raise ValueError(f"percentile out of range for an interval: {q}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence out of range: {confidence}")
    values = np.sort(_checked(samples))
    n = values.size
    tail = (1.0 - confidence) / 2.0
    cdf = sps.binom.cdf(np.arange(n + 1), n, q / 100.0)
    below = np.nonzero(cdf <= tail)[0]  # k with P(B <= k) <= tail
    low = float(values[below[-1]]) if below.size else None
    above = np.nonzero(cdf >= 1.0 - tail)[0]  # k with P(B <= k) >= 1 - tail; never empty
    high = float(values[above[0]]) if above[0] < n else None
    return low, high


def min_samples_for_upper_bound(q, confidence=CONFIDENCE):
    """The fewest samples whose largest one is an upper confidence bound of the q-th percentile:
    the smallest n with (q/100)^n <= (1 - confidence)/2."""
    tail = (1.0 - confidence) / 2.0
    return math.ceil(math.log(tail) / math.log(q / 100.0))


def summarize(samples):
    """{count, min, p50, p90, p99, max, mean, mad} of a non-empty sample set."""
    values = _checked(samples)
    p50, p90, p99 = (float(v) for v in np.percentile(values, [50, 90, 99]))
    return {
        "count": int(values.size),
        "min": float(values.min()),
        "p50": p50,
        "p90": p90,
        "p99": p99,
        "max": float(values.max()),
        "mean": float(values.mean()),
        "mad": float(sps.median_abs_deviation(values, scale=1.0)),
    }


def intervals(samples, confidence=CONFIDENCE):
    """{"p50": [low, high], "p90": [...], "p99": [...]} (bounds may be None, see quantile_ci)."""
    return {name: list(quantile_ci(samples, q, confidence)) for name, q in PERCENTILES}


def evenly_spaced_indices(count, keep):
    """Indices of at most `keep` of `count` items, evenly spaced from the first to the last (a
    thinned sample keeps every part of a run, in order)."""
    if count <= keep:
        return list(range(count))
    return [int(i) for i in np.unique(np.linspace(0, count - 1, keep).round().astype(int))]


def ratio(numerator, denominator):
    """numerator / denominator, or None when the denominator is zero (no meaningful ratio)."""
    if denominator == 0:
        return None
    return numerator / denominator


def mann_whitney_p(first, second, alternative):
    """One-sided Mann-Whitney U p-value that `first` is stochastically `alternative` ("greater" or
    "less") than `second`. Sets with no variation at all (e.g. every sample 1000 on both sides)
    give 1.0: no evidence of any difference."""
    a, b = _checked(first), _checked(second)
    if np.all(a == a[0]) and np.all(b == a[0]):
        return 1.0
    p = float(sps.mannwhitneyu(a, b, alternative=alternative).pvalue)
    return 1.0 if math.isnan(p) else p


def holm(p_values):
    """Holm-Bonferroni adjusted p-values, in the input order: the i-th smallest of m p-values is
    multiplied by (m - i + 1), then made monotone. Controls the family-wise error rate over the
    m tests without assuming they are independent (gates of one run are not)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


# ---- effect sizes: Hodges-Lehmann shifts and the noise between rounds ------------------------

HL_MAX_PER_SIDE = 1000  # samples per side in the pairwise differences (evenly spaced)


def _thinned(values, keep=HL_MAX_PER_SIDE):
    values = np.asarray(values, dtype=float)
    return values[np.asarray(evenly_spaced_indices(values.size, keep), dtype=int)]


def _order_statistics(values, ranks):
    """The given 0-based order statistics of `values`, without sorting all of them."""
    ranks = sorted(set(int(r) for r in ranks))
    part = np.partition(values, ranks)
    return {r: float(part[r]) for r in ranks}


def hodges_lehmann_shift(first, second, confidence=CONFIDENCE):
    """(estimate, low, high): the Hodges-Lehmann estimate of the shift `first - second` (the
    median of every pairwise difference) and its distribution-free confidence interval, the
    k-th smallest and k-th largest differences, k from the Mann-Whitney U distribution (normal
    approximation, exact enough from 8 samples a side). Sides are thinned evenly to
    HL_MAX_PER_SIDE samples (a million differences). low/high are None when the sides are too
    small for an interval at this confidence."""
    a, b = _thinned(_checked(first)), _thinned(_checked(second))
    differences = np.subtract.outer(a, b).ravel()
    n, m = a.size, b.size
    z = float(sps.norm.ppf(1.0 - (1.0 - confidence) / 2.0))
    k = int(math.floor(n * m / 2.0 - z * math.sqrt(n * m * (n + m + 1) / 12.0)))
    return _median_and_kth(differences, k)


def _median_and_kth(values, k):
    """(median, k-th smallest, k-th largest) of `values`; the bounds None when k < 1."""
    total = values.size
    middle = [(total - 1) // 2, total // 2]
    if k < 1:
        picked = _order_statistics(values, middle)
        return (picked[middle[0]] + picked[middle[1]]) / 2.0, None, None
    picked = _order_statistics(values, middle + [k - 1, total - k])
    return ((picked[middle[0]] + picked[middle[1]]) / 2.0, picked[k - 1], picked[total - k])


def hodges_lehmann_paired(differences, confidence=CONFIDENCE):
    """(estimate, low, high) of the shift of paired data from its differences: the median of the
    Walsh averages (d_i + d_j) / 2, i <= j, and their distribution-free confidence interval, the
    k-th smallest and k-th largest, k from the Wilcoxon signed-rank distribution (normal
    approximation). low/high are None when there are too few pairs for an interval."""
    d = _checked(differences)
    i, j = np.triu_indices(d.size)
    walsh = (d[i] + d[j]) / 2.0
    n = d.size
    z = float(sps.norm.ppf(1.0 - (1.0 - confidence) / 2.0))
    k = int(math.floor(n * (n + 1) / 4.0 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)))
    return _median_and_kth(walsh, k)


def signed_rank_p(differences, alternative):
    """One-sided Wilcoxon signed-rank p-value that paired differences are `alternative`
    ("greater" or "less") than zero; 1.0 when every difference is zero."""
    d = _checked(differences)
    if np.all(d == 0):
        return 1.0
    p = float(sps.wilcoxon(d, alternative=alternative, zero_method="zsplit").pvalue)
    return 1.0 if math.isnan(p) else p


def round_noise_floor(first_rounds, second_rounds, paired=False, alpha=0.01):
    """The smallest shift between two runs' round-level values (e.g. log medians of each round)
    that the spread between rounds cannot produce by itself with probability 1 - alpha: the
    one-sided (1 - alpha) Student t quantile times the standard error of the difference of the
    mean round values. Paired (round i of one run measured next to round i of the other, as the
    A/B mode does): the standard error of the mean of the paired differences. None when a side
    has fewer than 2 rounds (no spread to measure)."""
    a, b = np.asarray(first_rounds, dtype=float), np.asarray(second_rounds, dtype=float)
    if paired and a.size == b.size and a.size >= 2:
        d = a - b
        return float(sps.t.ppf(1.0 - alpha, d.size - 1) * d.std(ddof=1) / math.sqrt(d.size))
    if a.size < 2 or b.size < 2:
        return None
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2)
    se = math.sqrt(pooled * (1.0 / a.size + 1.0 / b.size))
    return float(sps.t.ppf(1.0 - alpha, a.size + b.size - 2) * se)
