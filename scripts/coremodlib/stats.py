"""Summary statistics of benchmark samples. Every statistic the harness reports is computed here.

Percentiles use linear interpolation between closest ranks (Hyndman & Fan type 7, the default of
numpy and R), so p50 of an even-sized set is the mean of the two middle values. The spread is the
median absolute deviation (MAD, unscaled): robust to the outliers a noisy VM produces, unlike the
standard deviation.
"""
import math


def _checked(samples):
    values = [float(v) for v in samples]
    if not values:
        raise ValueError("no samples")
    for v in values:
        if math.isnan(v) or math.isinf(v):
            raise ValueError(f"sample is not a finite number: {v}")
    return values


def percentile(samples, q):
    """The q-th percentile (0 <= q <= 100) of `samples`, linearly interpolated."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile out of range: {q}")
    values = sorted(_checked(samples))
    position = (len(values) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    fraction = position - low
    return values[low] + (values[high] - values[low]) * fraction


def median(samples):
    return percentile(samples, 50)


def mad(samples):
    """Median absolute deviation from the median."""
    values = _checked(samples)
    centre = median(values)
    return median([abs(v - centre) for v in values])


def summarize(samples):
    """{count, min, p50, p90, p99, max, mean, mad} of a non-empty sample set."""
    values = _checked(samples)
    return {
        "count": len(values),
        "min": min(values),
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "p99": percentile(values, 99),
        "max": max(values),
        "mean": sum(values) / len(values),
        "mad": mad(values),
    }


def ratio(numerator, denominator):
    """numerator / denominator, or None when the denominator is zero (no meaningful ratio)."""
    if denominator == 0:
        return None
    return numerator / denominator
