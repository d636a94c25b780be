/*
 * topology_replay.h — putting a case on a recorded machine (SPEC 13.2–13.5), and the three views
 * a candidate gives of the machine it is on.
 *
 * Recordings live in the source tree (fixtures/topology/, one directory per machine); the suite
 * finds them through $COREMOD_TOPOLOGY_FIXTURES_DIR, else the directory compiled in by meson.
 *
 * A candidate that cannot replay recorded machines is reported as not_supported for every case
 * that needs one, never as passing: topology_replay_require decides it by comparing what the
 * candidate reports under the recording with the recording's expected views and with what it
 * reports for the live machine.
 */
#ifndef CONFORMANCE_TOPOLOGY_REPLAY_H
#define CONFORMANCE_TOPOLOGY_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "module_interface.h"
#include "topology_machines.h"

#define TOPOLOGY_FIXTURES_ENV "COREMOD_TOPOLOGY_FIXTURES_DIR"

typedef struct {
    apple_silicon_info_t apple;
    cache_hierarchy_info_t cache;
    numa_topology_info_t numa;
} machine_views_t;

/* The recorded machine named `name` (a directory of fixtures/topology); fails the case if none. */
const topology_machine_t* topology_machine(const char* name);

/* Absolute path of the machine's recording (its root/ or sysctl.txt). */
const char* topology_machine_source(const topology_machine_t* machine);

/* Sets the machine's variable to its recording and clears the other one (contexts created from
 * now on describe it, SPEC 13.2). */
void topology_select(const topology_machine_t* machine);

/* Clears both variables: contexts created from now on describe the live machine. */
void topology_select_live(void);

/* Creates one context of each API, reads its view and destroys it. False when a create fails:
 * then *error and `message` (the error callback's message, "" if none) say why. */
bool topology_candidate_views(machine_views_t* views, module_error_t* error, char* message,
                              size_t message_size);

/* Writes the fields where `views` differ from the machine's expected.json ("" if none); returns
 * whether they are all equal. */
bool topology_views_match(const machine_views_t* views, const topology_machine_t* machine,
                          char* diff, size_t diff_size);
bool topology_views_equal(const machine_views_t* a, const machine_views_t* b);

/* Selects `machine` and makes sure the candidate replays it: returns with the machine selected
 * when the candidate's views equal the recording's; ends the case as not_supported when the
 * candidate says replay is "not supported" or reports the live machine instead; fails it when the
 * views are neither. */
void topology_replay_require(const topology_machine_t* machine);

/* The machine's facts for placements (SPEC 12.4–12.8), from its expected.json. Machines of the
 * table have at most 64 CPUs: sets are bit masks. */
uint64_t topology_cpulist_mask(const char* cpulist);
uint64_t topology_kind_mask(const topology_machine_t* machine, int rank);
uint64_t topology_efficiency_mask(const topology_machine_t* machine);
int topology_cpu_rank(const topology_machine_t* machine, uint32_t cpu); /* -1: not online */
uint32_t topology_cpu_node(const topology_machine_t* machine, uint32_t cpu);

#endif /* CONFORMANCE_TOPOLOGY_REPLAY_H */
