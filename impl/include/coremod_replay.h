/*
 * coremod_replay.h — how a recorded machine is replayed (SPEC 13.2, 13.5), in one place.
 *
 * Topology detection reads a recording instead of the live machine when the environment names
 * one (read when a context is created):
 *
 *   COREMOD_SYSFS_ROOT=DIR    every Linux read goes under DIR (a recorded /sys + /proc tree);
 *                             CPUID is never executed, since it would describe this machine.
 *   COREMOD_SYSCTL_FILE=FILE  the macOS values are read from FILE (`name: value` lines, as
 *                             `sysctl -a` prints them) instead of calling sysctlbyname.
 *
 * A recorded machine is a directory (fixtures/topology/<machine>/) holding the recording, either
 * COREMOD_REPLAY_SYSFS_DIR (replayed with COREMOD_SYSFS_ROOT) or COREMOD_REPLAY_SYSCTL_NAME
 * (replayed with COREMOD_SYSCTL_FILE), with COREMOD_REPLAY_EXPECTED_NAME (what detection must
 * give, schema coremod-topology/1) and COREMOD_REPLAY_SOURCE_NAME (where the recording came from).
 *
 * The reference (impl/platform), the conformance suite and the fixtures read these names from
 * here; the Python harness has its own copy in one module and docs/harness-interfaces.md
 * ("Environment variables") describes them.
 */
#ifndef COREMOD_REPLAY_H
#define COREMOD_REPLAY_H

#define COREMOD_SYSFS_ROOT_ENV "COREMOD_SYSFS_ROOT"
#define COREMOD_SYSCTL_FILE_ENV "COREMOD_SYSCTL_FILE"

#define COREMOD_REPLAY_SYSFS_DIR "root"
#define COREMOD_REPLAY_SYSCTL_NAME "sysctl.txt"
#define COREMOD_REPLAY_EXPECTED_NAME "expected.json"
#define COREMOD_REPLAY_SOURCE_NAME "SOURCE.md"

#endif /* COREMOD_REPLAY_H */
