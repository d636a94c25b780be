"""Statistics of benchmark samples (coremodlib.stats) on hand-computed data."""
import pytest

from coremodlib import stats


def test_percentiles_interpolate_linearly():
    samples = [10, 20, 30, 40, 50]  # positions 0..4
    assert stats.percentile(samples, 0) == 10
    assert stats.percentile(samples, 50) == 30
    assert stats.percentile(samples, 100) == 50
    assert stats.percentile(samples, 90) == pytest.approx(46.0)   # 40 + 0.6 * 10
    assert stats.percentile(samples, 99) == pytest.approx(49.6)   # 40 + 0.96 * 10


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
