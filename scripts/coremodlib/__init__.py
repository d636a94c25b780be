"""coremod harness: the logic behind scripts/coremod, in layers (docs/architecture.md).

    cli         the command line: the parser and the dispatch
    commands/   one module per command (add_parser, run); turns the arguments into values
    workflows/  what each command does, called with keyword arguments
    run/        builds and processes: meson, the suite, the benchmark runner, rounds, fresh roots
    report/     one writer per report format, reading the certification record
    judge/      pure rules: gate verdicts, regressions, areas and advisories, the record
    machine/    facts of this machine and of the candidate's file
    records/    files and databases: budgets, SPEC levels, case results, baselines, history
    (top)       errors, paths, settings, units, progress, stats: used by every layer

A layer imports only the layers below it; tests/test_layers.py holds the package to that.
"""
