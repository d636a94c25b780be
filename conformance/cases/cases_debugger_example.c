/*
 * cases_debugger_example.c — the document's watchpoint example (SPEC 14.5, document level): a
 * write watchpoint on 1024 bytes from malloc is accepted, and the program's reads and writes of
 * the block and of the memory around it still give the right values. Whether the watch reports
 * the writes is coremod's (cases_debugger_watch.c).
 */
#include <stdlib.h>

#include "conformance.h"
#include "debugger_support.h"

#define EXAMPLE_SIZE 1024

CONFORMANCE_CASE(debugger_example, DEBUG_EXAMPLE_001, "14.5",
                 "a write watchpoint on 1024 malloc'd bytes is accepted and the program's memory "
                 "behaves as without it")
{
    /* Neighbours on both sides, so that the heap around the block is used while it is watched
     * (a page-protection watch shares its pages with them). */
    unsigned char* before = malloc(64);
    char* watched_memory = malloc(EXAMPLE_SIZE);
    unsigned char* after = malloc(64);
    cr_assert(before != NULL && watched_memory != NULL && after != NULL,
              HARNESS_FAULT_PREFIX "malloc failed");
    memset(watched_memory, 0, EXAMPLE_SIZE);
    module_debugger_context_t* debugger = case_debugger_new();
    cr_assert(CAND(module_debugger_set_watchpoint)(debugger, (uintptr_t)watched_memory,
                                                   EXAMPLE_SIZE, DEBUG_WATCHPOINT_WRITE),
              "module_debugger_set_watchpoint(debugger, malloc(1024), 1024, WRITE), the "
              "document's example, returned false with %s (SPEC 14.5)",
              error_name(CAND(module_get_last_error)()));
    volatile char* block = watched_memory;
    for (int i = 0; i < EXAMPLE_SIZE; i += 61) {
        block[i] = (char)(i * 7 + 1);
    }
    block[EXAMPLE_SIZE - 1] = 0x5A;
    volatile unsigned char* left = before;
    volatile unsigned char* right = after;
    for (int i = 0; i < 64; i++) {
        left[i] = (unsigned char)i;
        right[i] = (unsigned char)(255 - i);
    }
    for (int i = 0; i < EXAMPLE_SIZE; i += 61) {
        cr_assert(block[i] == (char)(i * 7 + 1),
                  "byte %d of the watched block reads %d after writing %d (SPEC 14.5: a watch "
                  "must not change the program's memory)",
                  i, block[i], (char)(i * 7 + 1));
    }
    cr_assert(block[EXAMPLE_SIZE - 1] == 0x5A,
              "the last watched byte reads %d after writing 0x5A "
              "(SPEC 14.5)",
              block[EXAMPLE_SIZE - 1]);
    for (int i = 0; i < 64; i++) {
        cr_assert(left[i] == (unsigned char)i && right[i] == (unsigned char)(255 - i),
                  "heap memory next to the watched block lost a write at offset %d (SPEC 14.5)", i);
    }
    char* scratch = malloc(4096); /* the allocator at work on the same heap */
    cr_assert(scratch != NULL, HARNESS_FAULT_PREFIX "malloc failed");
    free(scratch);
    case_debugger_release(debugger);
    free(after);
    free(watched_memory);
    free(before);
}
