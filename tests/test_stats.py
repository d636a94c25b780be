"""Statistics of benchmark samples (coremodlib.stats) on hand-computed data."""
import math

import numpy as np
import pytest

from coremodlib import stats


def test_percentiles_interpolate_linearly():
    samples = [10, 20, 30, 40, 50]  # positions 0..4
    assert stats.percentile(samples, 0) == 10
    assert stats.percentile(samples, 50) == 30
    assert stats.percentile(samples, 100) == 50
    assert stats.percentile(samples, 90) == pytest.approx(46.0)  # 40 + 0.6 * 10
    assert stats.percentile(samples, 99) == pytest.approx(49.6)  # 40 + 0.96 * 10


def test_percentile_ignores_input_order():
    assert stats.percentile([50, 10, 40, 20, 30], 90) == pytest.approx(46.0)


def test_median_of_even_count_is_mean_of_middle_pair():
    assert stats.median([1, 2, 3, 4]) == 2.5


def test_single_sample_is_every_percentile():
    summary = stats.summarize([7])
    assert summary["p50"] == summary["p90"] == summary["p99"] == summary["max"] == 7
    assert summary["mad"] == 0
    assert summary["count"] == 1


def test_mad_is_robust_to_one_outlier():
    # median 3; deviations 2,1,0,1,997 -> MAD 1, whatever the outlier's size
    assert stats.mad([1, 2, 3, 4, 1000]) == 1
    assert stats.mad([1, 2, 3, 4, 10**9]) == 1


def test_summary_of_a_known_set():
    samples = list(range(1, 101))  # 1..100
    summary = stats.summarize(samples)
    assert summary["min"] == 1 and summary["max"] == 100
    assert summary["p50"] == pytest.approx(50.5)
    assert summary["p90"] == pytest.approx(90.1)
    assert summary["p99"] == pytest.approx(99.01)
    assert summary["mean"] == pytest.approx(50.5)
    assert summary["mad"] == pytest.approx(25.0)


@pytest.mark.parametrize("bad", [[], [float("nan")], [1, float("inf")]])
def test_no_statistic_of_unusable_samples(bad):
    with pytest.raises(ValueError):
        stats.summarize(bad)


def test_percentile_out_of_range():
    with pytest.raises(ValueError):
        stats.percentile([1, 2], 101)


def test_ratio():
    assert stats.ratio(3.0, 2.0) == 1.5
    assert stats.ratio(1.0, 0) is None


# ---- confidence intervals of percentiles (order statistics, scipy.stats.binom) --------------


def test_median_interval_of_1000_samples_uses_the_textbook_ranks():
    # n = 1000, q = 0.5: ranks 469 and 532 (1-based) bracket the median with >= 95 %
    low, high = stats.quantile_ci(range(1, 1001), 50)
    assert (low, high) == (469, 532)


def test_interval_bounds_are_samples_around_the_estimate():
    samples = [float(v) for v in range(1, 2001)]
    for name, q in stats.PERCENTILES:
        low, high = stats.quantile_ci(samples, q)
        assert low in samples and high in samples
        assert low <= stats.percentile(samples, q) <= high


def test_too_few_samples_cannot_bound_p99():
    needed = stats.min_samples_for_upper_bound(99)
    assert needed == 368  # 0.99 ** 368 <= 0.025 < 0.99 ** 367
    assert stats.quantile_ci(range(needed - 1), 99)[1] is None
    assert stats.quantile_ci(range(needed), 99)[1] == needed - 1  # the largest sample
    assert stats.quantile_ci(range(5), 50) == (None, None)  # median needs 6
    assert stats.quantile_ci(range(6), 50) == (0, 5)


def test_interval_covers_the_true_quantile_at_least_95_percent_of_the_time():
    """Coverage on simulated data with a known quantile (exponential, p99 = ln 100)."""
    rng = np.random.default_rng(20240601)
    true_p99, true_p50 = math.log(100), math.log(2)
    hits99 = hits50 = 0
    trials = 400
    for _ in range(trials):
        x = rng.exponential(size=1000)
        low, high = stats.quantile_ci(x, 99)
        hits99 += low <= true_p99 <= high
        low, high = stats.quantile_ci(x, 50)
        hits50 += low <= true_p50 <= high
    # exact intervals are conservative: coverage >= 95 %; allow the simulation's own error
    # (binomial sd of a 95 % rate over 400 trials is 1.1 %)
    assert hits99 / trials >= 0.93 and hits50 / trials >= 0.93


def test_intervals_of_every_percentile():
    got = stats.intervals(range(1, 1001))
    assert set(got) == {"p50", "p90", "p99"}
    assert all(len(bounds) == 2 for bounds in got.values())


def test_summary_uses_scipy_mad():
    assert stats.summarize([1, 2, 3, 4, 1000])["mad"] == 1


# ---- comparing two sample sets --------------------------------------------------------------


def test_mann_whitney_is_one_sided():
    slow, fast = [10.0 + i * 0.01 for i in range(50)], [9.0 + i * 0.01 for i in range(50)]
    assert stats.mann_whitney_p(slow, fast, "greater") < 1e-10
    assert stats.mann_whitney_p(slow, fast, "less") > 0.99


def test_mann_whitney_of_identical_constant_sets_is_no_evidence():
    assert stats.mann_whitney_p([1000] * 5, [1000] * 5, "greater") == 1.0


def test_holm_adjustment_matches_a_worked_example():
    # sorted p: 0.005 (x4), 0.01 (x3), 0.03 (x2), 0.04 (x1, raised to the running max 0.06)
    assert stats.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert stats.holm([0.5]) == [0.5]
    assert stats.holm([]) == []
    assert stats.holm([0.4, 0.6]) == [0.8, 0.8]  # capped at 1, kept monotone
