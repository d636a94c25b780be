"""`coremod test`: the project's own tests (pytest on tests/, under Debian's python3)."""
import argparse
import os

from coremodlib.run import bootstrap, cross
from coremodlib import paths
from . import options

NAME = "test"


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="run coremod's own tests (pytest on tests/)",
        description="Run the project's own tests with Debian's python3 and pytest: unit tests "
        "of the harness, an end-to-end build, the suite against the reference, "
        "certify against the reference and every broken implementation, the "
        "document's Quick Start program, sanitizer builds and valgrind.",
        epilog="Arguments after -- go to pytest unchanged, e.g. coremod test -- -x -v. The "
        "tests that read the API document take its path from $"
        f"{paths.API_DOCUMENT_ENV} (default: "
        f"{options.relative(paths.DEFAULT_API_DOCUMENT)}) and are "
        "skipped where it is absent.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-k",
        dest="keyword",
        metavar="EXPR",
        help="only tests whose names match EXPR (pytest -k syntax)",
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="skip the slow tests: the ASan+UBSan and TSan builds and the " "valgrind run",
    )
    parser.add_argument(
        "--arch",
        choices=cross.ARCHES,
        default=cross.DEFAULT_ARCH,
        help="native: the tests on this machine (default); aarch64: build the "
        "library, fixtures and suite for AArch64 (cross/aarch64-linux-gnu.ini) "
        "and run them under qemu-user-static, preparing the machine first "
        "(cross/setup-aarch64.sh); all: both",
    )
    parser.add_argument(
        "--build-root",
        metavar="DIR",
        help="directory for the tests' build directories (default: "
        f"{options.relative(os.path.dirname(paths.DEFAULT_BUILD_DIR))}/; the main one, "
        f"{options.relative(paths.DEFAULT_BUILD_DIR)}, is shared with certify)",
    )
    parser.add_argument(
        "pytest_args", nargs="*", metavar="PYTEST_ARG", help="extra pytest arguments (after --)"
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    if args.build_root:
        os.environ["COREMOD_TEST_BUILD_ROOT"] = os.path.abspath(args.build_root)
    from coremodlib.workflows import test

    return test.run(
        arch=args.arch,
        keyword=args.keyword,
        fast=args.fast,
        pytest_args=args.pytest_args,
        progress=progress,
    )
