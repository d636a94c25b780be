"""Command line of `coremod`: argument parsing and dispatch; the work is done by one module per
command (certify, selftest, bootstrap)."""
import argparse
import os
import sys

from . import bootstrap, calibrate, certify, gatecmd, gaterun, nightly, paths, selftest
from . import coverage, cross, instructions_cmd, report, supplements, topology_cmd
from .errors import HarnessError
from .progress import Progress

# Performance commands, one module each (parser: add_parser(sub); command: run(args, progress)).
STATS_COMMANDS = {"gate": gatecmd, "calibrate": calibrate, "nightly": nightly}
REPORT_COMMANDS = {"report": report, "coverage": coverage, "instructions": instructions_cmd}
# Platform detection (issue 3).
PLATFORM_COMMANDS = {"topology": topology_cmd}

EXIT_CODES_HELP = """exit codes:
  0  certified: every case passed (or is not supported) and every gate passed
  1  rejected: a conformance case failed, crashed or timed out
  3  rejected: every case is acceptable but a performance gate failed (or, with
     --strict, stayed inconclusive)
  2  the harness itself could not run (bad --impl path, build failure, missing
     tools, a runner that died for reasons that are not the candidate's)"""


def build_parser():
    parser = argparse.ArgumentParser(
        prog="coremod",
        description="Certify implementations of the Core Module System API and test coremod "
                    "itself. Installs missing Debian packages (apt-get as root, or sudo -n) and "
                    "builds with meson as needed.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    cert = sub.add_parser(
        "certify", help="certify an implementation (default: the reference) and write reports",
        description="Build coremod, run the conformance suite and the performance gates "
                    "against a candidate shared library, and write certification.json, "
                    "summary.md and junit.xml.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    gaterun.add_candidate_options(cert, paths.DEFAULT_OUT_DIR)
    cert.add_argument("--no-gates", action="store_true",
                      help="run the conformance suite only, no performance gates")
    gaterun.add_rounds_options(cert)

    for module in STATS_COMMANDS.values():
        module.add_parser(sub)
    for module in REPORT_COMMANDS.values():
        module.add_parser(sub)
    for module in PLATFORM_COMMANDS.values():
        module.add_parser(sub)
    # --metric time|instructions: certify and gate (supplements.py).
    for name in ("certify", "gate"):
        if name in sub.choices:
            supplements.add_metric_option(sub.choices[name])

    test = sub.add_parser(
        "test", help="run coremod's own tests (pytest on tests/)",
        description="Run the project's own tests with Debian's python3 and pytest: unit tests "
                    "of the harness, an end-to-end build, the suite against the reference, "
                    "certify against the reference and every broken implementation, the "
                    "document's Quick Start program, sanitizer builds and valgrind.",
        epilog="Arguments after -- go to pytest unchanged, e.g. coremod test -- -x -v.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    test.add_argument("-k", dest="keyword", metavar="EXPR",
                      help="only tests whose names match EXPR (pytest -k syntax)")
    test.add_argument("--fast", action="store_true",
                      help="skip the slow tests: the ASan+UBSan and TSan builds and the "
                           "valgrind run")
    test.add_argument("--arch", choices=cross.ARCHES, default=cross.DEFAULT_ARCH,
                      help="native: the tests on this machine (default); aarch64: build the "
                           "library, fixtures and suite for AArch64 (cross/aarch64-linux-gnu.ini) "
                           "and run them under qemu-user-static, preparing the machine first "
                           "(cross/setup-aarch64.sh); all: both")
    test.add_argument("--build-root", metavar="DIR",
                      help="directory for the tests' build directories (default: build/; the "
                           "main one, build/coremod, is shared with certify)")
    test.add_argument("pytest_args", nargs="*", metavar="PYTEST_ARG",
                      help="extra pytest arguments (after --)")

    sub.add_parser(
        "bootstrap", help="install the Debian packages coremod needs, and nothing else",
        description="Install (apt-get as root, or sudo -n) the Debian packages that certify "
                    "and test need: " + " ".join(bootstrap.PACKAGES_BY_COMMAND["bootstrap"]))
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    progress = Progress()
    try:
        if args.command == "certify":
            return certify.run(args, progress)
        if args.command in STATS_COMMANDS:
            return STATS_COMMANDS[args.command].run(args, progress)
        if args.command in REPORT_COMMANDS:
            return REPORT_COMMANDS[args.command].run(args, progress)
        if args.command in PLATFORM_COMMANDS:
            return PLATFORM_COMMANDS[args.command].run(args, progress)
        if args.command == "test":
            if args.build_root:
                os.environ["COREMOD_TEST_BUILD_ROOT"] = os.path.abspath(args.build_root)
            return selftest.run(args, progress)
        installed = bootstrap.ensure_for("bootstrap", progress)
        print("installed: " + " ".join(installed) if installed else
              "everything coremod needs is installed")
        return 0
    except HarnessError as exc:
        progress.finish()
        print(f"coremod: error: {exc}", file=sys.stderr)
        return HarnessError.exit_code
    except OSError as exc:  # e.g. an --out directory that cannot be created or written
        progress.finish()
        print(f"coremod: error: {exc}", file=sys.stderr)
        return HarnessError.exit_code
    except KeyboardInterrupt:
        progress.finish()
        print("coremod: interrupted", file=sys.stderr)
        return 130
