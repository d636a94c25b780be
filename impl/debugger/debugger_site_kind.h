/*
 * debugger_site_kind.h — arming and disarming a site by its kind (software, hardware or page
 * protection), for the set and clear calls and for destroy. Sites lock held.
 */
#ifndef COREMOD_DEBUGGER_SITE_KIND_H
#define COREMOD_DEBUGGER_SITE_KIND_H

#include <stdbool.h>

#include "debugger_site.h"
#include "errors.h"

bool debugger_site_arm(debugger_site_t* site, coremod_failure_t* failure);

/* Disarms and retires `site` (LIVE -> RETIRED). */
void debugger_site_clear(debugger_site_t* site);

#endif /* COREMOD_DEBUGGER_SITE_KIND_H */
