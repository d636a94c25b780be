"""Verdicts that know the noise (SPEC P.13), on synthetic runs whose rounds behave as measured on
the 2-core VM: every round (process) has its own speed, and a loaded night shifts the candidate
and its same-run reference alike. No timing is measured here; the end-to-end nights are in
test_nightly.py, the rule's rates on recorded runs in test_calibration.py.
"""
import os
import time

import numpy as np
import pytest

from coremodlib.run import background_load, revisions
from coremodlib.records import budgets
from coremodlib.judge import calibration, regression
from coremodlib import stats
from coremodlib.errors import HarnessError

HINTS = budgets.make("jit_generate_compilation_hints", "p99", "<", 800_000, "ns", clause="P.9")
ROUNDS, PER_ROUND = 10, 200


def run(median, round_spread, seed, machine=1.0, reference=20_000.0, paired_with=None):
    """A run of ROUNDS rounds: round i at median * (1 + round_spread * z_i) * machine_i, its
    reference at reference * machine_i (the machine's speed in that round hits both); with
    `paired_with` (a list of machine factors) the rounds share those factors (A/B)."""
    rng = np.random.default_rng(seed)
    machines = paired_with or list(machine * (1 + 0.05 * rng.standard_normal(ROUNDS)))
    samples, refs = [], []
    for m in machines:
        mode = 1 + round_spread * rng.standard_normal()
        samples += list(median * mode * m * (1 + 0.01 * rng.standard_normal(PER_ROUND)))
        refs.append(reference * m)
    return {
        "unit": "ns",
        "samples": samples,
        "round_sizes": [PER_ROUND] * ROUNDS,
        "reference": "reference:scan_code_64k",
        "reference_p50": float(np.median(refs)),
        "reference_round_p50": refs,
    }, machines


def compare(new, old, **kwargs):
    return regression.compare(
        [HINTS], {HINTS.operation: new}, {HINTS.operation: old}, "base", **kwargs
    )[HINTS.operation]


def test_hodges_lehmann_finds_the_shift_and_brackets_it():
    rng = np.random.default_rng(1)
    old = rng.standard_normal(400)
    new = rng.standard_normal(400) + 0.5
    estimate, low, high = stats.hodges_lehmann_shift(new, old)
    assert low < estimate < high and low < 0.5 < high and high - low < 0.4
    assert stats.hodges_lehmann_shift([1.0, 2.0], [1.0])[1:] == (None, None)  # too few


def test_the_noise_floor_grows_with_the_spread_between_rounds():
    tight = stats.round_noise_floor([0.0, 0.01, -0.01, 0.0], [0.0, 0.01, -0.01, 0.0])
    wide = stats.round_noise_floor([0.0, 0.1, -0.1, 0.0], [0.0, 0.1, -0.1, 0.0])
    assert 0 < tight < wide and wide == pytest.approx(10 * tight)
    assert stats.round_noise_floor([0.0], [0.0, 0.1]) is None
    # paired rounds: what the two runs share cancels
    shared = [0.0, 0.2, -0.2, 0.1]
    assert stats.round_noise_floor(
        [v + 0.05 for v in shared], shared, paired=True
    ) == pytest.approx(0.0, abs=1e-12)


def test_process_to_process_spread_is_not_taken_for_a_regression():
    """Rounds 10 % apart from process to process (as jit_generate_compilation_hints on the VM):
    two runs of the same build differ by several percent; the floor measured from their rounds
    keeps that from being a regression, and says so."""
    flagged = 0
    for seed in range(20):
        old, _ = run(24_000, 0.10, seed)
        new, _ = run(24_000, 0.10, seed + 100)
        got = compare(new, old)
        flagged += got["result"] == "regression"
        assert got["noise_floor"] > 0.05 and got["threshold"] == got["noise_floor"]
    assert flagged == 0


def test_a_slowdown_beyond_the_floor_is_caught_with_its_interval():
    old, _ = run(24_000, 0.02, 1)
    new, _ = run(24_000 * 1.2, 0.02, 2)
    got = compare(new, old)
    assert got["result"] == "regression"
    low, high = got["effect_ci"]
    assert low < got["effect"] < high and 1.12 < low and high < 1.28
    assert "[+" in regression.describe(
        HINTS.operation, got
    ) and "noise floor" in regression.describe(HINTS.operation, got)


def test_a_busier_machine_slows_the_reference_too_and_cancels():
    """The second night 15 % slower, candidate and reference alike (a neighbour on the cores):
    relative to the reference nothing changed, and the rule is widened by the reference's move
    rather than trusting it blindly."""
    old, _ = run(24_000, 0.02, 1)
    new, _ = run(24_000, 0.02, 2, machine=1.15)
    got = compare(new, old)
    assert got["result"] == "no_change"
    assert got["reference_ratio"] == pytest.approx(1.15, rel=0.03)
    assert got["widened_by"] == pytest.approx(0.15, rel=0.2)
    slower, _ = run(24_000 * 1.3, 0.02, 3, machine=1.15)
    assert compare(slower, old)["result"] == "regression"


def test_conditions_too_different_make_the_verdict_inconclusive_in_words():
    old, _ = run(24_000, 0.02, 1)
    new, _ = run(24_000 * 1.6, 0.02, 2, machine=1.4)
    change = regression.load_change(
        {"loadavg": [0.2, 0.2, 0.2]}, {"loadavg": [2.3, 1.0, 0.5], "cores_usable": 2}
    )
    assert change == "load average 0.20 -> 2.30 on 2 core(s)"
    got = compare(new, old, conditions=[change])
    assert got["result"] == "inconclusive"
    assert "conditions changed" in got["inconclusive_reason"]
    assert "load average 0.20 -> 2.30" in got["inconclusive_reason"]
    assert regression.inconclusive([{"operation": "x", "baseline_comparison": got}]) == ["x"]
    assert regression.load_change({"loadavg": [0.2]}, {"loadavg": [0.9], "cores": 2}) is None


def test_ab_rounds_are_paired_so_a_drifting_machine_cancels():
    """A/B: both builds measured in the same rounds share each round's machine speed, which
    swings 5 % from round to round; pairing removes it from the floor."""
    old, machines = run(24_000, 0.0, 1)
    new, _ = run(24_000 * 1.08, 0.0, 2, paired_with=machines)
    paired = compare(new, old, paired=True)
    assert paired["mode"] == "A/B" and paired["result"] == "regression"
    assert paired["noise_floor"] < 0.01 and paired["widened_by"] == 0.0
    same, _ = run(24_000, 0.0, 3, paired_with=machines)
    assert compare(same, old, paired=True)["result"] == "no_change"


def test_load_levels_are_parsed_and_checked():
    assert background_load.parse_levels("0,1,2") == [0, 1, 2]
    for bad in ("", "a", "1,-1"):
        with pytest.raises(HarnessError):
            background_load.parse_levels(bad)


def _busy_workers():
    count = 0
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8") as f:
                count += f.read().strip().startswith("stress-ng")
        except OSError:
            pass
    return count


def test_a_background_load_runs_while_asked_and_stops_after():
    before = _busy_workers()
    with background_load.busy(1) as proc:
        assert proc.poll() is None and _busy_workers() >= before + 2  # parent and worker
    deadline = time.monotonic() + 10
    while _busy_workers() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _busy_workers() == before
    with background_load.busy(0) as none:
        assert none is None


def test_a_cycling_load_changes_level_on_its_own_clock_and_stops_after():
    before = _busy_workers()
    with background_load.cycling([1, 0], 0.2) as cycle:
        deadline = time.monotonic() + 20
        while len(cycle.changes) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    deadline = time.monotonic() + 10
    while _busy_workers() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _busy_workers() == before
    assert [level for _, level in cycle.changes[:3]] == [1, 0, 1]
    times = [at for at, _ in cycle.changes]
    assert times == sorted(times) and times[1] - times[0] >= 0.2
    with pytest.raises(HarnessError, match="positive"):
        with background_load.cycling([1], 0):
            pass


def test_the_ab_calibration_counts_false_alarms_and_catches_a_slowdown():
    """analyse_ab on synthetic A/B runs: both sides of a run share the rounds' machine speeds, as
    measure_ab gives them; the loaded runs' machines move 30 % between rounds."""
    runs = []
    for seed in range(6):
        spread = 0.3 if seed % 2 else 0.05
        machines = list(1 + spread * np.random.default_rng(100 + seed).random(ROUNDS))
        new, _ = run(24_000, 0.002, seed, paired_with=machines)
        old, _ = run(24_000, 0.002, 50 + seed, paired_with=machines)
        runs.append(
            {
                "gates": {HINTS.operation: new},
                "against": {HINTS.operation: old},
                "quiet": seed % 2 == 0,
            }
        )
    result = calibration.analyse_ab([HINTS], runs)
    figures = result["gates"][HINTS.operation]
    assert result["mode"] == "A/B" and result["quiet_runs"] == 3
    assert figures["comparisons"] == 6 and figures["false_regressions"] == 0
    assert figures["quiet_trials"] == 3 and figures["loaded_trials"] == 3
    assert figures["quiet_detection_rate"] == 1.0 and figures["loaded_detection_rate"] == 1.0
    # a slowdown inside the noise between paired rounds is not claimed
    for r in runs:
        r["gates"][HINTS.operation]["samples"] = [
            v * (1.3 if i // PER_ROUND % 2 else 0.77)
            for i, v in enumerate(r["gates"][HINTS.operation]["samples"])
        ]
    noisy = calibration.analyse_ab([HINTS], runs)["gates"][HINTS.operation]
    assert noisy["false_regressions"] == 0 and noisy["quiet_detection_rate"] == 0.0


def test_an_unknown_revision_is_refused_by_name():
    with pytest.raises(HarnessError, match="no such commit"):
        revisions.resolve("no-such-revision-anywhere")
    assert revisions.resolve("HEAD") == revisions.resolve("HEAD^{commit}")
    assert not revisions.is_known("0" * 40)
