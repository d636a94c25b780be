"""`coremod topology`: the detected CPU kinds, caches and NUMA nodes."""
from coremodlib.run import bootstrap
from coremodlib import paths
from . import options

NAME = "topology"


def add_parser(sub):
    parser = sub.add_parser(
        NAME,
        help="print the detected CPU kinds, caches and NUMA nodes",
        description="Build the reference if needed and print what its detection layer finds: "
        "the fields of apple_silicon_info_t, cache_hierarchy_info_t and "
        "numa_topology_info_t, plus each CPU's kind, cluster and NUMA node. "
        "With --machine, replay a recorded machine from fixtures/topology/ instead "
        f"of reading this one ({paths.SYSFS_ROOT_ENV} / {paths.SYSCTL_FILE_ENV} set in the "
        "environment are honoured too).",
    )
    parser.add_argument(
        "--json", action="store_true", help="print JSON (schema coremod-topology/1) instead of text"
    )
    parser.add_argument(
        "--machine",
        metavar="NAME",
        help="a recorded machine: a directory name under fixtures/topology/ "
        "(e.g. macos-m4-max-sequoia), or a path to such a directory",
    )
    parser.add_argument(
        "--build-dir",
        metavar="DIR",
        default=paths.DEFAULT_BUILD_DIR,
        help="meson build directory, set up if missing (default: "
        f"{options.relative(paths.DEFAULT_BUILD_DIR)})",
    )
    return parser


def run(args, progress):
    bootstrap.ensure_for(NAME, progress)
    # Imported after its packages are ensured (see commands/__init__.py).
    from coremodlib.workflows import topology

    return topology.run(
        build_dir=args.build_dir, machine=args.machine, as_json=args.json, progress=progress
    )
