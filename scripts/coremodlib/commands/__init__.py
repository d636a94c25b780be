"""The commands of `coremod`, one module each, all with one protocol:

    NAME                 the word on the command line
    add_parser(sub)      declares the command and its options on the argparse subparsers
    run(args, progress)  installs the command's Debian packages, then imports the modules that do
                         the work and returns the exit code

Start-up must work on Debian's bare python3 (the standard library only): `coremod --help`, every
`coremod COMMAND --help` and `coremod bootstrap` run before anything is installed. So the modules
of this package, and what they import at their top, are standard library only; the judging and
report layers (numpy, scipy, jinja2, matplotlib) are imported inside run(), after
bootstrap.ensure_for(NAME). tests/test_startup.py holds it to that.
"""
from . import (
    bootstrap,
    calibrate,
    certify,
    coverage,
    fresh_machine,
    gate,
    instructions,
    nightly,
    report,
    test,
    topology,
)

# In the order `coremod --help` lists them.
ALL = (
    certify,
    gate,
    nightly,
    calibrate,
    report,
    coverage,
    instructions,
    topology,
    test,
    bootstrap,
    fresh_machine,
)
BY_NAME = {module.NAME: module for module in ALL}
