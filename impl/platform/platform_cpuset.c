/*
 * platform_cpuset.c — CPU sets and the cpulist parser shared by every backend.
 */
#include "platform_cpuset.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cpuset_free(platform_cpuset_t* set)
{
    if (!set)
        return;
    free(set->words);
    set->words = NULL;
    set->nwords = 0;
}

static platform_status_t cpuset_grow(platform_cpuset_t* set, uint32_t cpu)
{
    uint32_t need = cpu / 64u + 1u;
    if (need <= set->nwords)
        return PLATFORM_OK;
    uint64_t* words = realloc(set->words, (size_t)need * sizeof *words);
    if (!words)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory growing a CPU set");
    memset(words + set->nwords, 0, (size_t)(need - set->nwords) * sizeof *words);
    set->words = words;
    set->nwords = need;
    return PLATFORM_OK;
}

platform_status_t cpuset_add(platform_cpuset_t* set, uint32_t cpu)
{
    if (!set)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "cpuset_add: NULL set");
    if (cpu >= PLATFORM_MAX_CPUS)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "CPU number %u is beyond %u", cpu,
                             PLATFORM_MAX_CPUS - 1);
    platform_status_t st = cpuset_grow(set, cpu);
    if (st != PLATFORM_OK)
        return st;
    set->words[cpu / 64u] |= UINT64_C(1) << (cpu % 64u);
    return PLATFORM_OK;
}

platform_status_t cpuset_add_range(platform_cpuset_t* set, uint32_t first, uint32_t last)
{
    if (!set)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "cpuset_add_range: NULL set");
    if (first > last)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "reversed CPU range %u-%u", first,
                             last);
    if (last >= PLATFORM_MAX_CPUS)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "CPU number %u is beyond %u", last,
                             PLATFORM_MAX_CPUS - 1);
    platform_status_t st = cpuset_grow(set, last);
    for (uint32_t cpu = first; st == PLATFORM_OK && cpu <= last; cpu++)
        set->words[cpu / 64u] |= UINT64_C(1) << (cpu % 64u);
    return st;
}

platform_status_t cpuset_copy(platform_cpuset_t* dst, const platform_cpuset_t* src)
{
    if (!dst || !src)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "cpuset_copy: NULL set");
    platform_cpuset_t copy = PLATFORM_CPUSET_EMPTY;
    if (src->nwords) {
        copy.words = malloc((size_t)src->nwords * sizeof *copy.words);
        if (!copy.words)
            return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory copying a CPU set");
        memcpy(copy.words, src->words, (size_t)src->nwords * sizeof *copy.words);
        copy.nwords = src->nwords;
    }
    cpuset_free(dst);
    *dst = copy;
    return PLATFORM_OK;
}

bool cpuset_contains(const platform_cpuset_t* set, uint32_t cpu)
{
    if (!set || cpu / 64u >= set->nwords)
        return false;
    return (set->words[cpu / 64u] >> (cpu % 64u)) & 1u;
}

uint32_t cpuset_count(const platform_cpuset_t* set)
{
    uint32_t n = 0;
    for (uint32_t i = 0; set && i < set->nwords; i++)
        n += (uint32_t)__builtin_popcountll(set->words[i]);
    return n;
}

bool cpuset_equal(const platform_cpuset_t* a, const platform_cpuset_t* b)
{
    uint32_t n = a->nwords > b->nwords ? a->nwords : b->nwords;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t wa = i < a->nwords ? a->words[i] : 0;
        uint64_t wb = i < b->nwords ? b->words[i] : 0;
        if (wa != wb)
            return false;
    }
    return true;
}

int64_t cpuset_next(const platform_cpuset_t* set, uint32_t from)
{
    if (!set)
        return -1;
    for (uint32_t i = from / 64u; i < set->nwords; i++) {
        uint64_t w = set->words[i];
        if (i == from / 64u)
            w &= ~UINT64_C(0) << (from % 64u);
        if (w)
            return (int64_t)i * 64 + __builtin_ctzll(w);
    }
    return -1;
}

/* Reads one decimal CPU number at *p; advances *p. */
static platform_status_t parse_cpu_number(const char** p, uint32_t* out, const char* text)
{
    if (!isdigit((unsigned char)**p))
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                             "bad cpulist \"%.64s\": expected a number at \"%.16s\"", text, *p);
    uint64_t value = 0;
    while (isdigit((unsigned char)**p)) {
        value = value * 10u + (uint64_t)(**p - '0');
        if (value >= PLATFORM_MAX_CPUS)
            return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                                 "bad cpulist \"%.64s\": CPU number beyond %u", text,
                                 PLATFORM_MAX_CPUS - 1);
        (*p)++;
    }
    *out = (uint32_t)value;
    return PLATFORM_OK;
}

platform_status_t cpuset_parse_list(const char* text, platform_cpuset_t* out)
{
    if (!text || !out)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "cpuset_parse_list: NULL argument");
    platform_cpuset_t set = PLATFORM_CPUSET_EMPTY;
    const char* p = text;
    platform_status_t st = PLATFORM_OK;
    for (;;) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        uint32_t first, last;
        if ((st = parse_cpu_number(&p, &first, text)) != PLATFORM_OK)
            break;
        last = first;
        if (*p == '-') {
            p++;
            if ((st = parse_cpu_number(&p, &last, text)) != PLATFORM_OK)
                break;
        }
        if (*p && *p != ',' && !isspace((unsigned char)*p)) {
            st = platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                               "bad cpulist \"%.64s\": unexpected \"%c\"", text, *p);
            break;
        }
        if ((st = cpuset_add_range(&set, first, last)) != PLATFORM_OK)
            break;
    }
    if (st != PLATFORM_OK) {
        cpuset_free(&set);
        return st;
    }
    cpuset_free(out);
    *out = set;
    return PLATFORM_OK;
}

size_t cpuset_format_list(const platform_cpuset_t* set, char* buf, size_t len)
{
    size_t used = 0;
    if (buf && len)
        buf[0] = '\0';
    int64_t cpu = cpuset_next(set, 0);
    while (cpu >= 0) {
        int64_t last = cpu;
        while (cpuset_contains(set, (uint32_t)(last + 1)))
            last++;
        char piece[32];
        int n = last == cpu
                    ? snprintf(piece, sizeof piece, "%s%lld", used ? "," : "", (long long)cpu)
                    : snprintf(piece, sizeof piece, "%s%lld-%lld", used ? "," : "", (long long)cpu,
                               (long long)last);
        if (buf && used + (size_t)n < len)
            memcpy(buf + used, piece, (size_t)n + 1);
        else if (buf && len)
            buf[len - 1 < used ? len - 1 : used] = '\0';
        used += (size_t)n;
        cpu = cpuset_next(set, (uint32_t)(last + 1));
    }
    return used;
}
