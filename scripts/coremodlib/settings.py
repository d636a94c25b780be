"""Defaults that the command line shows and the library applies, spelled once here so that the
help text, the README (generated from the help) and the behaviour cannot disagree.

Standard library only: the command line imports this before any package is installed.
"""

# Benchmark rounds (rounds.py, docs/gates.md): rounds measured before any verdict, and the most
# rounds a gate whose confidence interval still contains its budget may get.
DEFAULT_MIN_ROUNDS = 10
DEFAULT_MAX_ROUNDS = 15
# A/B runs (gate --against, nightly against the last good build, calibrate --ab): many short rounds
# of fewer samples, as many samples in all as 10 rounds of the runner's 1000. A process's speed
# differs from the next one's by 10-20 % on the 2-core VM whichever build it runs, so the paired
# noise floor shrinks with the number of pairs, not with samples per process (docs/gates.md).
DEFAULT_AB_ROUNDS = 100
DEFAULT_AB_MAX_ROUNDS = 150
DEFAULT_AB_SAMPLES = 100

# `coremod coverage`: the share of impl/ lines that must be executed, in percent.
DEFAULT_COVERAGE_THRESHOLD = 85.0

# What decides the timed gates (--metric of certify and gate; supplements.py).
METRICS = ("time", "instructions")

# `coremod calibrate`: the schema of its --record files (the calibration test's data)
CALIBRATION_RECORD_SCHEMA = "coremod-perf-samples/1"
# A/A gate runs, and samples kept per gate and run in --record.
DEFAULT_CALIBRATION_RUNS = 10
DEFAULT_RECORD_SAMPLES = 200
# calibrate --ab: seconds each level of a cycling background load lasts (plus stress-ng's settling,
# background_load.SETTLE_S); a time round of one build takes about 0.7 s on the 2-core VM.
DEFAULT_LOAD_PERIOD_S = 2.5
