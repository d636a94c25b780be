"""`coremod bootstrap`: install the Debian packages that commands need (or, with --dry-run, say
which are missing and what would be run), and nothing else."""
import argparse

from coremodlib.run import bootstrap

NAME = "bootstrap"


def _table_text():
    lines = ["what each command needs (groups of packages):"]
    for command, groups in bootstrap.COMMAND_GROUPS.items():
        lines.append(f"  {command:<14}{', '.join(groups)}")
    lines.append("groups:")
    for group, packages in bootstrap.GROUPS.items():
        lines.append(f"  {group:<14}{' '.join(packages)}")
    return "\n".join(lines)


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="install the Debian packages coremod needs, and nothing else",
        description="Install (apt-get as root, or sudo -n; --no-install-recommends) the Debian "
        "packages that the given commands need; by default those of the README's "
        "two commands, " + " and ".join(bootstrap.DEFAULT_COMMANDS) + ". Every "
        "command also installs what it needs itself.",
        epilog=_table_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--for",
        dest="commands",
        metavar="COMMAND",
        action="append",
        choices=tuple(bootstrap.COMMAND_GROUPS),
        help="install what COMMAND needs (repeatable; default: "
        + " ".join(bootstrap.DEFAULT_COMMANDS)
        + ")",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="only say which packages are missing and the apt-get commands that "
        "would install them; install nothing",
    )
    return parser


def run(args, progress):
    packages = bootstrap.packages_for(*(args.commands or bootstrap.DEFAULT_COMMANDS))
    if args.dry_run:
        missing, commands = bootstrap.plan(packages)
        if missing is None:
            print("not a Debian system (no dpkg-query): nothing to plan")
        elif not missing:
            print("everything is installed: " + " ".join(packages))
        else:
            print("missing: " + " ".join(missing))
            if commands is None:
                print("cannot install them: not root and 'sudo -n' is not available")
            for cmd in commands or ():
                print("would run: " + " ".join(cmd))
        return 0
    installed = bootstrap.ensure_packages(packages, progress)
    print(
        "installed: " + " ".join(installed)
        if installed
        else "everything is installed: " + " ".join(packages)
    )
    return 0
