"""Options shared by several commands, defined once; the standard library and light modules only.
"""
import argparse
import dataclasses
import os

from coremodlib.judge import areas
from coremodlib.run import instructions, requests
from coremodlib import paths, settings


def relative(path):
    """A default path as the help text shows it: relative to the repository."""
    return os.path.relpath(path, paths.REPO_ROOT)


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text}")
    return value


def add_rounds_options(parser):
    """--rounds, --max-rounds and --strict (certify, gate, nightly)."""
    parser.add_argument(
        "--rounds",
        metavar="N",
        type=positive_int,
        help="benchmark rounds (coremod-bench runs) measured before any verdict; "
        f"default {settings.DEFAULT_MIN_ROUNDS}, in A/B runs {settings.DEFAULT_AB_ROUNDS} of "
        f"{settings.DEFAULT_AB_SAMPLES} samples each",
    )
    parser.add_argument(
        "--max-rounds",
        metavar="N",
        type=positive_int,
        help="rounds at most: gates whose confidence interval still contains "
        "the budget get more rounds up to this many, then are inconclusive "
        f"(default: the larger of --rounds and {settings.DEFAULT_MAX_ROUNDS}, in A/B runs "
        f"{settings.DEFAULT_AB_MAX_ROUNDS})",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="an inconclusive gate fails (exit 3) instead of being reported",
    )


def add_build_dir_option(parser):
    """--build-dir of the main build (certify, gate, nightly, calibrate, instructions)."""
    parser.add_argument(
        "--build-dir",
        metavar="DIR",
        default=paths.DEFAULT_BUILD_DIR,
        help="meson build directory, set up if missing (default: "
        f"{relative(paths.DEFAULT_BUILD_DIR)})",
    )


def add_candidate_options(parser, default_out):
    """The options of every command that measures a candidate (certify, gate, nightly,
    calibrate)."""
    parser.add_argument(
        "--impl",
        metavar="PATH",
        help="the candidate: a shared library exporting the functions of the "
        "API areas certified (module_interface.h for the core area; "
        "default: the reference build's impl/libcoremod.so)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=default_out,
        help="directory for the reports and raw results (default: " f"{relative(default_out)})",
    )
    add_build_dir_option(parser)
    parser.add_argument(
        "--buildtype",
        metavar="TYPE",
        choices=("plain", "debug", "debugoptimized", "release", "minsize"),
        help="meson buildtype of the build directory; reconfigures it if it "
        "differs (default: keep the directory's, debugoptimized when new)",
    )
    parser.add_argument(
        "--samples",
        metavar="N",
        type=positive_int,
        help="samples per timed operation and round, passed to coremod-bench "
        f"(default: coremod-bench's own, 1000; in A/B runs {settings.DEFAULT_AB_SAMPLES})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="coremod-bench --quick: fewer samples, scale gates not judged; for "
        "trying things out, not for a run of record",
    )
    parser.add_argument(
        "--budgets",
        metavar="FILE",
        help="budgets table to judge the gates by (default: " f"{relative(paths.BUDGETS_FILE)})",
    )


def add_metric_option(parser):
    # The baseline's name for any machine, not this one's: the help text (and the README block
    # generated from it, scripts/sync-readme-help) must read the same on every machine.
    baseline = relative(instructions.baseline_path("<machine>"))
    parser.add_argument(
        "--metric",
        choices=settings.METRICS,
        default="time",
        help="what decides the timed gates: 'time' (default) judges them by their budgets; "
        "'instructions' also counts instructions per operation under valgrind's callgrind "
        "(identical from run to run) and fails a gate more than 1%% above the committed "
        f"baseline {baseline} (reported as not comparable on another compiler, C library "
        "or valgrind); the time verdict is shown beside it",
    )
    parser.add_argument(
        "--instructions-baseline",
        metavar="FILE",
        help="with --metric instructions: the baseline to compare with (default: "
        f"{baseline}, for this machine's architecture)",
    )


def add_profile_option(parser, what="cases and gates"):
    """--profile (certify, gate, nightly): which API areas are certified (areas.py)."""
    names = "; ".join(f"'{name}': {areas.PROFILE_HELP[name]}" for name in areas.PROFILES)
    parser.add_argument(
        "--profile",
        choices=tuple(areas.PROFILES),
        default=areas.DEFAULT_PROFILE,
        help=f"the API areas to certify; only their {what} run ({names}; "
        f"default: {areas.DEFAULT_PROFILE})",
    )


def add_strict_spec_option(parser):
    parser.add_argument(
        "--strict-spec",
        action="store_true",
        help="advisory cases (cases of coremod-level SPEC clauses that did not "
        "pass: the document leaves that behaviour open) reject the candidate "
        "(exit 1), for an implementation that wants to behave exactly as "
        "the reference does",
    )


def measure_options(args, **changes):
    """The MeasureOptions of a command's arguments (the options it does not have keep their
    defaults), with `changes` applied: the one place a namespace becomes values."""
    given = {
        field.name: getattr(args, field.name)
        for field in dataclasses.fields(requests.MeasureOptions)
        if hasattr(args, field.name)
    }
    return requests.MeasureOptions(**{**given, **changes})


def selection(args):
    """The Selection of --profile, --area, --case and --strict-spec (those the command has)."""
    return requests.Selection(
        profile=getattr(args, "profile", None),
        areas=tuple(getattr(args, "area", None) or ()),
        cases=tuple(getattr(args, "case", None) or ()),
        strict_spec=bool(getattr(args, "strict_spec", False)),
    )
