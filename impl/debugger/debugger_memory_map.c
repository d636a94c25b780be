/*
 * debugger_memory_map.c — /proc/self/maps read into a fixed buffer (no allocation) and scanned
 * line by line.
 */
#include "debugger_memory_map.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    uintptr_t start, end;
    int protection;
} map_line_t;

typedef bool (*map_visit_fn)(const map_line_t* line, void* data);

/* Calls `visit` for each mapping in address order until it returns false; false when
 * /proc/self/maps cannot be opened. */
static bool memory_map_scan(map_visit_fn visit, void* data)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    char buffer[8192];
    size_t kept = 0;
    bool more = true;
    while (more) {
        ssize_t got = read(fd, buffer + kept, sizeof(buffer) - 1 - kept);
        if (got <= 0) {
            more = false;
            got = 0;
        }
        kept += (size_t)got;
        buffer[kept] = '\0';
        char* line = buffer;
        char* newline;
        while ((newline = memchr(line, '\n', kept - (size_t)(line - buffer))) != NULL ||
               (!more && line < buffer + kept)) {
            if (newline != NULL) {
                *newline = '\0';
            }
            map_line_t parsed = {0};
            char* cursor = line;
            parsed.start = (uintptr_t)strtoull(cursor, &cursor, 16);
            parsed.end = (uintptr_t)strtoull(cursor + 1, &cursor, 16);
            if (cursor[0] == ' ' && cursor[1] != '\0' && cursor[2] != '\0' && cursor[3] != '\0') {
                parsed.protection = (cursor[1] == 'r' ? PROT_READ : 0) |
                                    (cursor[2] == 'w' ? PROT_WRITE : 0) |
                                    (cursor[3] == 'x' ? PROT_EXEC : 0);
                if (!visit(&parsed, data)) {
                    close(fd);
                    return true;
                }
            }
            if (newline == NULL) {
                line = buffer + kept;
                break;
            }
            line = newline + 1;
        }
        kept -= (size_t)(line - buffer);
        memmove(buffer, line, kept);
    }
    close(fd);
    return true;
}

typedef struct {
    uintptr_t address;
    int protection;
    bool found;
} protection_query_t;

static bool protection_visit(const map_line_t* line, void* data)
{
    protection_query_t* query = data;
    if (query->address >= line->start && query->address < line->end) {
        query->protection = line->protection;
        query->found = true;
        return false;
    }
    return line->start <= query->address;
}

bool memory_map_protection(uintptr_t address, int* protection)
{
    protection_query_t query = {.address = address};
    (void)memory_map_scan(protection_visit, &query);
    if (query.found) {
        *protection = query.protection;
    }
    return query.found;
}

typedef struct {
    uintptr_t near, size, reach;
    uintptr_t previous_end; /* end of the mapping before the current hole */
    uintptr_t best;
    uintptr_t best_distance;
    bool found;
} hole_query_t;

static uintptr_t distance_between(uintptr_t a, uintptr_t b)
{
    return a > b ? a - b : b - a;
}

/* The hole [previous_end, next_start): its candidate nearest to `near`, if in reach. */
static void hole_consider(hole_query_t* query, uintptr_t hole_start, uintptr_t hole_end)
{
    /* A guard page either side keeps the region off its neighbours' growth (stacks). */
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    if (hole_start < 0x10000) {
        hole_start = 0x10000;
    }
    hole_start += page;
    if (hole_end < hole_start + query->size + page) {
        return;
    }
    hole_end -= page;
    uintptr_t candidate;
    if (query->near < hole_start) {
        candidate = hole_start;
    } else if (query->near >= hole_end - query->size) {
        candidate = hole_end - query->size;
    } else {
        candidate = query->near & ~(page - 1);
    }
    candidate &= ~(page - 1);
    if (candidate < hole_start) {
        return;
    }
    uintptr_t far = distance_between(candidate, query->near) >
                            distance_between(candidate + query->size, query->near)
                        ? distance_between(candidate, query->near)
                        : distance_between(candidate + query->size, query->near);
    if (far <= query->reach && (!query->found || far < query->best_distance)) {
        query->best = candidate;
        query->best_distance = far;
        query->found = true;
    }
}

static bool hole_visit(const map_line_t* line, void* data)
{
    hole_query_t* query = data;
    if (line->start > query->previous_end) {
        hole_consider(query, query->previous_end, line->start);
    }
    if (line->end > query->previous_end) {
        query->previous_end = line->end;
    }
    return true;
}

bool memory_map_find_hole(uintptr_t near, size_t size, uintptr_t reach, uintptr_t* start)
{
    hole_query_t query = {.near = near, .size = size, .reach = reach};
    (void)memory_map_scan(hole_visit, &query);
    if (query.found) {
        *start = query.best;
    }
    return query.found;
}

typedef struct {
    uintptr_t next; /* the first byte of the range not yet found mapped */
    uintptr_t last;
    bool executable;
    memory_range_t result;
} range_query_t;

/* The mappings come in address order: `next` moves forward through adjacent ones until the range
 * is covered or a gap shows. */
static bool range_visit(const map_line_t* line, void* data)
{
    range_query_t* query = data;
    if (line->end <= query->next) {
        return true;
    }
    if (line->start > query->next) {
        return false; /* a gap before the next byte we need: NOT_MAPPED */
    }
    if (query->executable && (line->protection & PROT_EXEC) == 0) {
        query->result = MEMORY_RANGE_NOT_EXECUTABLE;
        return false;
    }
    if (query->last < line->end) {
        query->result = MEMORY_RANGE_MAPPED;
        return false;
    }
    query->next = line->end;
    return true;
}

memory_range_t memory_map_check_range(uintptr_t address, size_t size, bool executable)
{
    range_query_t query = {.next = address,
                           .last = address + (size - 1),
                           .executable = executable,
                           .result = MEMORY_RANGE_NOT_MAPPED};
    if (!memory_map_scan(range_visit, &query)) {
        return MEMORY_RANGE_UNREADABLE;
    }
    return query.result;
}
