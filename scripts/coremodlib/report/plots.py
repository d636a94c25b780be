"""Plots for the HTML report, drawn with matplotlib's SVG backend and returned as inline <svg>
text: the report stays one self-contained file (no images to fetch, no scripts, no fonts: text is
kept as text and rendered with the page's own font).

Each plot gets its own id prefix (matplotlib's svg.hashsalt), so the ids of several figures
inlined in one page never collide.
"""
import io
import math

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import matplotlib.ticker  # noqa: E402

COLOURS = {
    "samples": "#2f6db5",
    "raw": "#9a9a9a",
    "budget": "#c0392b",
    "p50": "#1e8449",
    "p99": "#b9770e",
    "regression": "#c0392b",
    "improvement": "#1e8449",
    "grid": "#e3e3e3",
}
WIDTH_IN, HEIGHT_IN = 5.6, 2.7
_STYLE = {
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "legend.fontsize": 7.5,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.family": ["DejaVu Sans", "sans-serif"],
}


def _svg(fig, salt):
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML declaration and DOCTYPE: inline HTML


def _wide_range(values, factor=20):
    positive = [v for v in values if v is not None and v > 0]
    return len(positive) >= 2 and max(positive) / min(positive) > factor


def _ecdf(values):
    ordered = sorted(values)
    n = len(ordered)
    return ordered, [(i + 1) / n for i in range(n)]


def unit_label(unit):
    return "µs" if unit == "us" else unit


def quantity(value, unit):
    """'0.0339 ms', '1000' (a count needs no unit)."""
    return f"{value:.4g}" if unit in ("count", "modules") else f"{value:.4g} {unit_label(unit)}"


def _fits(budget, low, high, log):
    """Whether the budget can share an axis with data spanning [low, high] and leave the data
    readable: within 3x of the data on a log axis, within half the span on a linear one."""
    if budget is None:
        return False
    if log or low <= 0:
        return low / 3 <= budget <= high * 3 if low > 0 else budget <= high * 3
    span = max(high - low, abs(high) * 0.05)
    return low - span / 2 <= budget <= high + span / 2


def _headroom(budget, reference, comparison):
    """ "budget < 50 µs is 907x p99" style wording for a budget drawn off the axis."""
    if not reference:
        return ""
    factor = budget / reference
    return f" = {factor:.3g}× p99" if comparison in ("<", "<=") else f" = {factor:.3g}× p50"


def _budget_marker(ax, budget, comparison, unit, low, high, log, vertical, reference=None):
    """Draws the budget as a line when it fits the data's scale, else as a labelled arrow at
    the edge of the axis (a 40 µs load against a 1.5 ms budget would otherwise squash every sample
    into one pixel column)."""
    text = f"budget {comparison} {quantity(budget, unit)}"
    if _fits(budget, low, high, log):
        (ax.axvline if vertical else ax.axhline)(
            budget, color=COLOURS["budget"], linewidth=2, label=text
        )
        return
    # Off the scale: said above the plot, where it cannot cover a sample.
    beyond = budget > high
    arrow = ("→" if beyond else "←") if vertical else ("↑" if beyond else "↓")
    ax.set_title(
        f"{text}{_headroom(budget, reference, comparison)}, off the scale {arrow}",
        loc="right",
        color=COLOURS["budget"],
        fontsize=8,
        fontweight="bold",
    )


def _plain_ticks(axis):
    """Plain numbers on a log axis (0.05, 0.1, 0.2) rather than powers of ten."""
    formatter = matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:.4g}")
    axis.set_major_formatter(formatter)
    axis.set_minor_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:.3g}" if f"{v:.0e}"[0] in "25" else "")
    )


def _legend_below(ax, ncol=3):
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=ncol,
        frameon=False,
        handlelength=1.8,
        columnspacing=1.2,
    )


def distribution(
    gate_id,
    samples,
    unit,
    budget=None,
    comparison="<",
    p50=None,
    p99=None,
    raw_samples=None,
    raw_label="raw loader",
):
    """ECDF of a gate's raw samples (one step per sample, so nothing is binned away) with p50 and
    p99 marked, the raw loader's samples in grey where they were measured, and the budget: a red
    line when it lies within the data's scale, otherwise an arrow at the edge saying how far away
    it is. A logarithmic axis when the samples themselves span more than 20x."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN))
        data = list(samples) + list(raw_samples or [])
        low, high = min(data), max(data)
        log = _wide_range(data, factor=5)
        if raw_samples:
            xs, ys = _ecdf(raw_samples)
            ax.step(xs, ys, where="post", color=COLOURS["raw"], linewidth=1.2, label=raw_label)
        xs, ys = _ecdf(samples)
        ax.step(
            xs,
            ys,
            where="post",
            color=COLOURS["samples"],
            linewidth=1.6,
            label=f"candidate, {len(samples)} samples",
        )
        if len(samples) <= 12:
            ax.plot(xs, ys, "o", color=COLOURS["samples"], markersize=3.5)
        for value, name, style in ((p50, "p50", ":"), (p99, "p99", "--")):
            if value is not None:
                ax.axvline(
                    value,
                    color=COLOURS[name],
                    linestyle=style,
                    linewidth=1.2,
                    label=f"{name} {quantity(value, unit)}",
                )
        if budget is not None:
            _budget_marker(
                ax,
                budget,
                comparison,
                unit,
                low,
                high,
                log,
                vertical=True,
                reference=p99 if comparison in ("<", "<=") else p50,
            )
        if log:
            ax.set_xscale("log")
            _plain_ticks(ax.xaxis)
        elif low == high:
            ax.set_xlim(low - max(abs(low) * 0.05, 1), high + max(abs(high) * 0.05, 1))
        ax.set_ylim(0, 1.04)
        ax.set_xlabel(unit_label(unit) + (" (log scale)" if log else ""))
        ax.set_ylabel("share of samples ≤ x")
        ax.grid(True, color=COLOURS["grid"], linewidth=0.6)
        _legend_below(ax)
        return _svg(fig, f"dist-{gate_id}")


def trend(gate_id, points, unit, budget=None, comparison="<"):
    """History of one gate: p50 and p99 per run (oldest left), the budget (a line, or an arrow
    when it is far off the data's scale), runs the gate was judged a regression in marked by a
    red triangle, improvements by a green one. `points`: [{"label", "p50", "p99", "regression"}]
    in run order."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN * 0.9))
        x = list(range(len(points)))
        for key, style in (("p50", "-o"), ("p99", "--s")):
            ys = [p.get(key) if p.get(key) is not None else math.nan for p in points]
            ax.plot(x, ys, style, color=COLOURS[key], markersize=3, linewidth=1.3, label=key)
        for kind, marker in (("regression", "v"), ("improvement", "^")):
            marked = [
                (i, p.get("p50"))
                for i, p in enumerate(points)
                if p.get("regression") == kind and p.get("p50") is not None
            ]
            if marked:
                ax.plot(
                    [m[0] for m in marked],
                    [m[1] for m in marked],
                    marker,
                    linestyle="none",
                    color=COLOURS[kind],
                    markersize=9,
                    label=kind,
                )
        values = [p.get(k) for p in points for k in ("p50", "p99") if p.get(k) is not None]
        log = _wide_range(values)
        if budget is not None and values:
            last_p99 = next((p["p99"] for p in reversed(points) if p.get("p99")), None)
            _budget_marker(
                ax,
                budget,
                comparison,
                unit,
                min(values),
                max(values),
                log,
                vertical=False,
                reference=last_p99,
            )
        if log:
            ax.set_yscale("log")
            _plain_ticks(ax.yaxis)
        step = max(1, math.ceil(len(points) / 10))
        ax.set_xticks(x[::step])
        ax.set_xticklabels([points[i]["label"] for i in x[::step]])
        ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
        ax.set_ylabel(unit_label(unit))
        ax.set_xlabel("run (oldest left)")
        ax.grid(True, color=COLOURS["grid"], linewidth=0.6)
        _legend_below(ax, ncol=5)
        return _svg(fig, f"trend-{gate_id}")


def whole_process(commands):
    """Strip-and-box plot of each command's wall times (ms), one row per command."""
    names = list(commands)[::-1]  # boxplot rows count from the bottom: first command on top
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.55 + 0.55 * len(names)))
        data = [[t * 1e3 for t in commands[n]["times_s"]] for n in names]
        ax.boxplot(
            data,
            vert=False,
            widths=0.5,
            showfliers=False,
            medianprops={"color": COLOURS["p50"], "linewidth": 1.6},
        )
        for row, values in enumerate(data, start=1):
            jitter = [row + ((i * 37) % 21 - 10) / 60 for i in range(len(values))]
            ax.plot(
                values,
                jitter,
                "o",
                color=COLOURS["samples"] if names[row - 1] == "coremod" else COLOURS["raw"],
                markersize=2.2,
                alpha=0.6,
            )
        ax.set_yticks(range(1, len(names) + 1))
        ax.set_yticklabels(names)
        ax.set_xlabel("wall time per process, ms")
        ax.grid(True, axis="x", color=COLOURS["grid"], linewidth=0.6)
        return _svg(fig, "whole-process")
