"""Command line of `coremod`: the parser and the dispatch. Each command is a module of
commands/ (its options and its run); nothing here knows one command from another."""
import argparse
import sys

from coremodlib import commands
from coremodlib.errors import HarnessError
from coremodlib.progress import Progress


def build_parser():
    parser = argparse.ArgumentParser(
        prog="coremod",
        description="Certify implementations of the Core Module System API and test coremod "
        "itself. Installs missing Debian packages (apt-get as root, or sudo -n) and "
        "builds with meson as needed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in commands.ALL:
        module.add_parser(sub)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    progress = Progress()
    try:
        return commands.BY_NAME[args.command].run(args, progress)
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
