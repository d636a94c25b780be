"""coremod harness: the logic behind scripts/coremod, one importable module per concern.

cli (argument parsing) -> certify / selftest / bootstrap commands, which use:
bootstrap (Debian packages), build (meson), environment (machine facts), suite (conformance
runner), bench (benchmark runner), budgets + stats + gates (performance verdicts),
certification (the verdict and the certification dict); reports are written by the separate
coremod_reports package, which only reads that dict.
"""
