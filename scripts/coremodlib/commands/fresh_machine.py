"""`coremod fresh-machine`: the README's two commands, exactly as written, on a fresh Debian 12
root made with mmdebstrap (freshroot.py). CI runs its tests this way."""
import argparse
import os

from coremodlib.run import bootstrap, freshroot
from coremodlib import paths
from coremodlib.errors import HarnessError
from . import options

NAME = "fresh-machine"

EXIT_CODES_HELP = """exit codes:
  0  every command exited 0 in the fresh root
  1  a command exited non-zero or timed out (its last lines are printed)
  2  the fresh root could not be made (not root, mmdebstrap failed, ...)"""


def _default_shared():
    shared = os.path.normpath(os.path.join(paths.REPO_ROOT, "..", "shared"))
    return shared if os.path.isdir(shared) else None


def add_parser(sub):
    default_shared = _default_shared()
    parser = sub.add_parser(
        NAME,
        help="run the README's commands on a fresh Debian 12 root (mmdebstrap, chroot)",
        description="Make a minimal Debian 12 root with mmdebstrap (variant apt: no python3, no "
        "gcc), put a clean clone of the committed HEAD in it (and a copy of "
        "../shared/ beside it), and run the commands of README.md's first code "
        "block there, exactly as written, as root in a chroot with /proc, /sys and "
        "/dev mounted. Fails if any exits non-zero, printing their last lines; "
        "pytest's closing summary line is the last line printed. Needs root.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--cache",
        metavar="DIR",
        default=freshroot.default_cache_dir(),
        help="where the root tarball and the downloaded .deb files are kept "
        "between runs (default: $XDG_CACHE_HOME or ~/.cache, then "
        "coremod/fresh-machine)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="make the root tarball anew even if the cached one is recent",
    )
    parser.add_argument(
        "--max-age",
        metavar="DAYS",
        type=options.positive_int,
        default=freshroot.DEFAULT_MAX_AGE_DAYS,
        help="a cached root tarball older than this is made anew (default "
        f"{freshroot.DEFAULT_MAX_AGE_DAYS})",
    )
    parser.add_argument(
        "--no-apt-cache",
        action="store_true",
        help="do not reuse the .deb files of earlier runs: download everything",
    )
    parser.add_argument(
        "--shared",
        metavar="DIR",
        default=default_shared,
        help="copied beside the clone as ../shared/ (default: ../shared beside "
        "this repository, when it exists" + ("" if default_shared else "; it does not") + ")",
    )
    parser.add_argument(
        "--no-shared",
        action="store_true",
        help="put no ../shared/ beside the clone (as in a user's own clone)",
    )
    parser.add_argument(
        "--mirror",
        metavar="URL",
        default=freshroot.DEFAULT_MIRROR,
        help=f"Debian mirror (default {freshroot.DEFAULT_MIRROR})",
    )
    parser.add_argument(
        "--security-mirror",
        metavar="URL",
        default=freshroot.DEFAULT_SECURITY_MIRROR,
        help="Debian security mirror (default " f"{freshroot.DEFAULT_SECURITY_MIRROR})",
    )
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        default="/var/tmp",
        help="where the root is unpacked, in a new directory removed afterwards "
        "(default /var/tmp)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the unpacked root afterwards (its path is printed)",
    )
    parser.add_argument(
        "--timeout",
        metavar="MIN",
        type=options.positive_int,
        default=freshroot.DEFAULT_TIMEOUT_MIN,
        help="minutes each command may take before it is killed (default "
        f"{freshroot.DEFAULT_TIMEOUT_MIN})",
    )
    parser.add_argument(
        "--command",
        dest="commands",
        metavar="CMD",
        action="append",
        help="run CMD (a shell command, in the clone) instead of the README's "
        "commands; repeatable",
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    shared = None if args.no_shared else args.shared
    if shared and not os.path.isdir(shared):
        raise HarnessError(f"--shared {shared}: not a directory")
    return freshroot.check_readme_commands(
        progress,
        args.cache,
        shared,
        keep=args.keep,
        commands=args.commands,
        timeout_s=args.timeout * 60,
        workdir_parent=args.workdir,
        mirror=args.mirror,
        security_mirror=args.security_mirror,
        max_age_days=args.max_age,
        refresh=args.refresh,
        apt_cache=not args.no_apt_cache,
    )
