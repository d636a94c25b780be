/*
 * debugger_capabilities.h — what this machine really provides (SPEC 14), from the self-tests of
 * each part (each runs once per process); a context keeps the answer found at its creation.
 */
#ifndef COREMOD_DEBUGGER_CAPABILITIES_H
#define COREMOD_DEBUGGER_CAPABILITIES_H

#include "module_debugger.h"

/* Runs the self-tests (first call only) and fills `out`. Signal handlers must be installed. */
void debugger_capabilities_detect(debug_capabilities_t* out);

#endif /* COREMOD_DEBUGGER_CAPABILITIES_H */
