"""Baselines: the raw samples of a gate run, kept to compare later runs with (regression.py).

A baseline file (perf/baselines/NAME.json, or any path) holds, per gate, every sample in the
budget's own unit, with the environment and the noise facts of the run that produced it:

    {"schema": "coremod-baseline/1", "name": "main", "created_at": "...", "metric": "time",
     "harness_version": "0.1.0", "candidate": {"path", "sha256", ...},
     "environment": {...}, "noise": {...}, "options": {"samples", "rounds"...},
     "gates": {"module_load": {"unit": "ns", "statistic": "p99", "rounds": 10,
                               "round_sizes": [1000, ...], "samples": [...],
                               "reference": "dlopen", "reference_kind": "platform loader",
                               "reference_p50": 27380.0,
                               "reference_round_p50": [27301, ...]}, ...}}

(Baselines written before the same-run references of every gate name the loader gates' reference
"platform" and "platform_p50"; regression.py reads both.)

The history database (history.py) holds the same samples for every run, which is where `coremod
nightly` takes its baseline from (the last good run).
"""
import json
import os
import re

import numpy as np

from coremodlib.records import files
from coremodlib import paths, stats, units
from coremodlib.errors import HarnessError

SCHEMA = "coremod-baseline/1"
# Samples kept per gate in a baseline file and in each history row: evenly spaced over the run
# (every round keeps its share). A run has up to 10 000 per time gate; 2000 keep the median to
# within a fraction of the run-to-run noise (the calibration test proves the rule on 200) and a
# nightly history row set to about 130 KB.
KEEP_SAMPLES = 2000
BASELINES_DIR = paths.BASELINES_DIR
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def same_run_reference(op):
    """The operation's same-run reference (the platform-loader twin, or the runner's
    reference workload) as (kind, entry), or (None, None)."""
    for key, kind in (("raw_baseline", "platform loader"), ("reference", "reference workload")):
        entry = op.get(key)
        if isinstance(entry, dict) and entry.get("samples"):
            return kind, entry
    return None, None


def measured_samples(budgets, bench_doc):
    """{operation: {"unit", "statistic", "rounds", "round_sizes", "samples", "round_p50"[,
    "reference",
    "reference_kind", "reference_p50", "reference_round_p50"]}} of every budgeted operation with
    samples in `bench_doc` (rounds.merge output), in the budget's unit. The reference entries
    describe the same-run reference measured interleaved in the same processes (the platform
    loader, or the runner's reference workload): its median over the run and in each round; the
    regression rule divides each round's samples by its round's reference median
    (regression.py). "round_p50" is each round's median from every sample, so that a record or
    baseline thinned to a few samples a round (subsample) still gives the A/B rule its exact
    round medians."""
    by_name = {op["name"]: op for op in bench_doc.get("operations", [])}
    out = {}
    for budget in budgets:
        op = by_name.get(budget.operation)
        if not op or "error" in op or not op.get("samples"):
            continue
        entry = out[budget.operation] = {
            "unit": budget.unit,
            "statistic": budget.statistic,
            "rounds": int(op.get("rounds", 1)),
            "round_sizes": list(op.get("round_sizes") or [len(op["samples"])]),
            "samples": [units.convert(float(v), op["unit"], budget.unit) for v in op["samples"]],
        }
        round_p50 = _round_medians(entry["samples"], entry["round_sizes"])
        if round_p50 is not None:
            entry["round_p50"] = round_p50
        kind, ref = same_run_reference(op)
        if ref is None:
            continue
        convert = lambda v: units.convert(v, ref.get("unit", op["unit"]), budget.unit)  # noqa
        entry.update(
            reference=ref.get("name"),
            reference_kind=kind,
            reference_p50=convert(stats.median(ref["samples"])),
        )
        sizes = ref.get("round_sizes") or [len(ref["samples"])]
        reference_round_p50 = _round_medians(ref["samples"], sizes, convert)
        if reference_round_p50 is not None and len(sizes) == len(entry["round_sizes"]):
            entry["reference_round_p50"] = reference_round_p50
    return out


def _round_medians(samples, sizes, convert=float):
    """The median of each round of `samples` (`sizes` samples a round), through `convert`; None
    when the sizes do not describe the samples or a round is empty."""
    if sum(sizes) != len(samples) or not all(sizes):
        return None
    starts = np.cumsum([0] + list(sizes))
    return [
        _compact(convert(stats.median(samples[starts[i] : starts[i + 1]])))
        for i in range(len(sizes))
    ]


def path_for(name_or_file):
    """The file a --baseline / --save-baseline argument names: a path when it contains a '/' or
    ends in .json, else perf/baselines/NAME.json (NAME: letters, digits, '.', '_', '-')."""
    if "/" in name_or_file or name_or_file.endswith(".json"):
        return os.path.abspath(name_or_file)
    if not _NAME.fullmatch(name_or_file):
        raise HarnessError(
            f"baseline name {name_or_file!r}: use letters, digits, '.', '_', '-' "
            f"(or give a path to a .json file)"
        )
    return os.path.join(BASELINES_DIR, name_or_file + ".json")


def display_name(name_or_file):
    base = os.path.basename(name_or_file)
    return base[:-5] if base.endswith(".json") else base


def save(path, *, name, created_at, candidate, environment, noise, harness_version, options, gates):
    """Writes a baseline; each gate's samples thinned to KEEP_SAMPLES (subsample)."""
    doc = {
        "schema": SCHEMA,
        "name": name,
        "created_at": created_at,
        "metric": "time",
        "harness_version": harness_version,
        "candidate": candidate,
        "environment": environment,
        "noise": noise,
        "options": options,
        "gates": {op: subsample(entry, KEEP_SAMPLES) for op, entry in gates.items()},
    }
    files.write_json(path, doc)
    return doc


def load(path):
    """The parsed baseline, checked (HarnessError when it is missing or malformed)."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise HarnessError(f"baseline not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise HarnessError(f"cannot read baseline {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise HarnessError(f"{path}: not a baseline (schema is not {SCHEMA!r})")
    gates = doc.get("gates")
    if not isinstance(gates, dict):
        raise HarnessError(f"{path}: 'gates' is not an object")
    for operation, entry in gates.items():
        samples = entry.get("samples") if isinstance(entry, dict) else None
        if not isinstance(samples, list) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in samples
        ):
            raise HarnessError(f"{path}: gate {operation}: 'samples' is not a list of numbers")
        if not units.known(entry.get("unit", "")):
            raise HarnessError(f"{path}: gate {operation}: unknown unit {entry.get('unit')!r}")
    if doc.get("metric", "time") != "time":
        raise HarnessError(f"{path}: a baseline of metric {doc.get('metric')!r}, not time")
    return doc


def subsample(entry, keep):
    """At most `keep` samples of a gate, evenly spaced over the run (so every round keeps its
    share and the order in time is preserved); round_sizes are scaled accordingly."""
    samples = entry["samples"]
    if len(samples) <= keep:
        return dict(entry)
    picks = np.asarray(stats.evenly_spaced_indices(len(samples), keep))
    sizes, start, kept_sizes = entry.get("round_sizes") or [len(samples)], 0, []
    for size in sizes:
        kept_sizes.append(int(np.count_nonzero((picks >= start) & (picks < start + size))))
        start += size
    return dict(
        entry,
        samples=[_compact(samples[i]) for i in picks],
        round_sizes=kept_sizes,
        subsampled_from=len(samples),
    )


def _compact(value):
    """Six significant digits (the runner's resolution is 1 ns, or 1 ns / batch), and whole
    numbers without ".0": the recording stays small."""
    rounded = float(f"{value:.6g}")
    return int(rounded) if rounded.is_integer() else rounded
