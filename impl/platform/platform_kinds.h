/*
 * platform_kinds.h — grouping CPUs into core kinds and ranking the kinds (Linux backend).
 *
 * Signals, strongest first; a signal is used only when every online CPU reports it, because a
 * value missing on some CPUs says nothing about their speed:
 *   1. cpu_capacity            the kernel's own performance scale (arm64 DT / ACPI, x86 ITMT);
 *   2. Intel hybrid class      cpu_core above cpu_atom;
 *   3. MIDR                    core class from the part table (prime > big > little), then the
 *                              part number (Apple P parts are E + 1; Arm numbers newer cores
 * higher);
 *   4. maximum frequency       cpuinfo_max_freq, or base_frequency when every CPU has one.
 * CPUs with equal signals form one kind; kinds are ranked by the signals in that order, kind 0
 * being the fastest.
 */
#ifndef COREMOD_PLATFORM_KINDS_H
#define COREMOD_PLATFORM_KINDS_H

#include "platform_topology_builder.h"

/* Sets `kind` of every online CPU in the builder, allocates the kinds and names them. */
platform_status_t platform_rank_kinds(topo_builder_t* b);

#endif /* COREMOD_PLATFORM_KINDS_H */
