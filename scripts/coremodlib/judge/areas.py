"""The API areas a candidate is certified for, and the profiles that name sets of them: one table.

An *area* is a part of the API that a candidate implements or not as a whole: its functions (the
names the candidate exports), the Criterion suites of its conformance cases and its performance
gates (operations of perf/budgets.toml). `declared` says whether the Core Module System API
document declares the area; the others are coremod extensions (what the reference implements
beyond the document), which no document-only profile contains.

A *profile* is a named set of areas: `coremod certify --profile NAME` runs the cases and gates of
those areas only. Later areas of the document (debugger, profiler, security, testing) are added as
rows here, and a profile names them.

Standard library only, and nothing imported but the foundation's paths: the command line reads
this table before anything is installed (the choices of --profile and --area).
"""
import collections
import fnmatch

from coremodlib import paths

Area = collections.namedtuple(
    "Area", "name declared title functions suites excluded_suites gates needs"
)

# The debugger's cases that observe hits or use coremod's other debugger functions (SPEC 14,
# introduction): the area debugger-ext. The document's four functions alone serve the rest.
DEBUGGER_EXT_SUITES = (
    "debugger_caps",
    "debugger_clear",
    "debugger_ctx",
    "debugger_event",
    "debugger_hits",
    "debugger_hw",
    "debugger_state",
    "debugger_watch",
)

AREAS = (
    Area(
        name="core",
        declared=True,
        title="Core module system API",
        functions=(
            "module_system_init",
            "module_system_destroy",
            "module_load",
            "module_load_with_options",
            "module_unload",
            "module_get_symbol",
            "module_get_info",
            "module_get_last_error",
            "module_get_error_string",
            "module_set_error_callback",
        ),
        suites=("core_*",),
        excluded_suites=(),
        gates=(
            "module_system_init",
            "module_load",
            "module_unload",
            "module_get_symbol",
            "memory_per_module",
            "concurrent_modules",
        ),
        needs=(),
    ),
    Area(
        name="jit",
        declared=True,
        title="JIT optimization API",
        functions=(
            "jit_optimization_create",
            "jit_optimization_destroy",
            "jit_get_apple_silicon_info",
            "jit_generate_compilation_hints",
        ),
        suites=("jit_*",),
        excluded_suites=(),
        gates=(
            "jit_optimization_create",
            "jit_get_apple_silicon_info",
            "jit_generate_compilation_hints",
        ),
        needs=(),
    ),
    Area(
        name="cache",
        declared=True,
        title="Cache optimization API",
        functions=(
            "cache_optimization_create",
            "cache_optimization_destroy",
            "cache_get_hierarchy_info",
            "cache_generate_prefetch_pattern",
            "cache_apply_prefetch_pattern",
        ),
        suites=("cache_*",),
        excluded_suites=(),
        gates=("cache_generate_prefetch_pattern",),
        needs=(),
    ),
    Area(
        name="numa",
        declared=True,
        title="NUMA placement API",
        functions=(
            "numa_optimization_create",
            "numa_optimization_destroy",
            "numa_get_topology_info",
            "numa_place_module",
        ),
        suites=("numa_*",),
        excluded_suites=("numa_apply", "numa_release"),
        gates=("numa_place_module",),
        needs=(),
    ),
    Area(
        name="numa-ext",
        declared=False,
        title="coremod's NUMA extensions (releasing and applying placements, SPEC 12.9, 12.10)",
        functions=("numa_release_placement", "numa_apply_placement"),
        suites=("numa_apply", "numa_release"),
        excluded_suites=(),
        gates=(),
        needs=("numa",),
    ),
    Area(
        name="debugger",
        declared=True,
        title="Debugging System API",
        functions=(
            "module_debugger_create",
            "module_debugger_set_breakpoint",
            "module_debugger_set_watchpoint",
            "module_debugger_get_processor_state",
        ),
        suites=("debugger_*",),
        excluded_suites=DEBUGGER_EXT_SUITES,
        gates=(
            "debugger_set_breakpoint_software",
            "debugger_set_breakpoint_hardware",
            "debugger_breakpoint_hit_software",
            "debugger_breakpoint_hit_hardware",
        ),
        needs=(),
    ),
    Area(
        name="debugger-ext",
        declared=False,
        title="coremod's debugger extensions (destroy, clear, events, hit counts, capabilities, "
        "x86-64 state, SPEC 14.6-14.14)",
        functions=(
            "module_debugger_destroy",
            "module_debugger_clear_breakpoint",
            "module_debugger_clear_watchpoint",
            "module_debugger_wait_event",
            "module_debugger_get_hit_count",
            "module_debugger_get_capabilities",
            "module_debugger_get_x86_64_state",
        ),
        suites=DEBUGGER_EXT_SUITES,
        excluded_suites=(),
        gates=(),
        needs=("debugger",),
    ),
    Area(
        name="topology",
        declared=False,
        title=f"recorded machines replayed through {paths.SYSFS_ROOT_ENV} / "
        f"{paths.SYSCTL_FILE_ENV} (SPEC 13)",
        functions=(),
        suites=("topo_*",),
        excluded_suites=(),
        gates=(),
        needs=("jit", "cache", "numa", "numa-ext"),
    ),
)

BY_NAME = {area.name: area for area in AREAS}
NAMES = tuple(area.name for area in AREAS)
DECLARED = tuple(area.name for area in AREAS if area.declared)

PROFILES = {
    "core": ("core",),
    # The document's areas only, never an extension.
    "full": DECLARED,
    # What the reference implements: the document's areas and coremod's extensions.
    "coremod": NAMES,
}
PROFILE_HELP = {
    "core": "the core module system API only",
    "full": "every area the document declares: " + ", ".join(DECLARED),
    "coremod": "the document's areas and coremod's extensions: " + ", ".join(NAMES),
}
DEFAULT_PROFILE = "full"

# Cases that are no suite's: the harness's own records (suite "harness", e.g. CANDIDATE-LOAD,
# whether the candidate loads at all) belong to the core area.
HARNESS_SUITE = "harness"
HARNESS_AREA = "core"


def profile_areas(profile):
    """The areas of `profile`, in table order; KeyError for an unknown profile."""
    names = PROFILES[profile]
    return tuple(area for area in AREAS if area.name in names)


def kind(area):
    """ "document" for an area the document declares, else "extension"."""
    return "document" if area.declared else "extension"


def suite_areas(suite):
    """Every area whose suite patterns take `suite` (the table is right when this is exactly
    one)."""
    if suite == HARNESS_SUITE:
        return [BY_NAME[HARNESS_AREA]]
    return [
        area
        for area in AREAS
        if any(fnmatch.fnmatchcase(suite, p) for p in area.suites)
        and not any(fnmatch.fnmatchcase(suite, p) for p in area.excluded_suites)
    ]


def area_of_suite(suite):
    """The name of the area of `suite`, or None when no area (or more than one) takes it."""
    found = suite_areas(suite)
    return found[0].name if len(found) == 1 else None


def area_of_gate(operation):
    """The name of the area whose gates include `operation` (a budgets.toml operation), or None."""
    found = [area.name for area in AREAS if operation in area.gates]
    return found[0] if len(found) == 1 else None


def gate_in_profile(operation, profile):
    """Whether a gate (a budgets.toml operation) is measured under `profile`: it belongs to one of
    the profile's areas, or to no area at all (an operation of a budgets table of one's own)."""
    area = area_of_gate(operation)
    return area is None or area in PROFILES[profile]


def area_of_function(name):
    found = [area.name for area in AREAS if name in area.functions]
    return found[0] if len(found) == 1 else None


def all_functions():
    """Every function of every area, in table order."""
    return tuple(name for area in AREAS for name in area.functions)


def case_id(test_name):
    """The case id of a Criterion test name (the suite reports CORE_LOAD_001 as CORE-LOAD-001)."""
    return test_name.replace("_", "-")
