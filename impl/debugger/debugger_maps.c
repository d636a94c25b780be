/* debugger_maps.c — see debugger_maps.h. */
#include "debugger_maps.h"

#include <stdio.h>

debugger_range_t debugger_maps_check(uintptr_t address, size_t size, bool executable)
{
    FILE* maps = fopen("/proc/self/maps", "re");
    if (maps == NULL) {
        return DEBUGGER_RANGE_UNREADABLE;
    }
    /* The mappings are listed in address order: walk them, moving `next` (the first byte not yet
     * found mapped) forward through adjacent ones until the range is covered or a gap shows. */
    uintptr_t next = address;
    uintptr_t last = address + (size - 1);
    debugger_range_t result = DEBUGGER_RANGE_NOT_MAPPED;
    char line[512];
    while (fgets(line, sizeof(line), maps) != NULL) {
        unsigned long start = 0;
        unsigned long end = 0;
        char perms[8] = {0};
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3) {
            continue;
        }
        if (end <= next) {
            continue;
        }
        if (start > next) {
            break; /* a gap before the next byte we need */
        }
        if (executable && perms[2] != 'x') {
            result = DEBUGGER_RANGE_NOT_EXECUTABLE;
            break;
        }
        if (last < end) {
            result = DEBUGGER_RANGE_MAPPED;
            break;
        }
        next = end;
    }
    fclose(maps);
    return result;
}
