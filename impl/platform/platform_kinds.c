/*
 * platform_kinds.c — core kinds from per-CPU signals (rules in platform_kinds.h).
 */
#include "platform_kinds.h"

#include <stdlib.h>
#include <string.h>

#include "vendor/arm_midr.h"

/* Max frequencies closer than this are one class: Intel Turbo Boost Max 3.0 and AMD preferred
 * cores give a few cores of one kind a slightly higher maximum (typically 2-4 %), while distinct
 * kinds differ far more (Lakefield 2.8 vs 3.0 GHz is separated by base frequency instead). */
#define FREQ_SAME_CLASS_PERCENT 5u

typedef struct {
    uint32_t capacity;
    uint32_t hybrid;
    uint32_t midr_class;
    uint32_t midr_key; /* implementer << 12 | part: variant and revision do not make a new kind */
    uint32_t freq_class;
} kind_signature_t;

/* Lexicographic comparison, larger = faster. */
static int signature_compare(const kind_signature_t* a, const kind_signature_t* b)
{
    const uint32_t av[] = {a->capacity, a->hybrid, a->midr_class, a->midr_key, a->freq_class};
    const uint32_t bv[] = {b->capacity, b->hybrid, b->midr_class, b->midr_key, b->freq_class};
    for (size_t i = 0; i < sizeof av / sizeof av[0]; i++)
        if (av[i] != bv[i])
            return av[i] < bv[i] ? -1 : 1;
    return 0;
}

static int compare_u32(const void* a, const void* b)
{
    uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
    return (x > y) - (x < y);
}

/* Which signals every online CPU reports. */
typedef struct {
    bool capacity, hybrid, midr, max_freq, base_freq;
} signals_present_t;

static signals_present_t signals_present(const platform_topology_t* t)
{
    signals_present_t p = {true, true, true, true, true};
    bool any_hybrid = false;
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        const platform_cpu_t* c = &t->cpus[i];
        if (!c->online)
            continue;
        p.capacity &= c->capacity != 0;
        p.hybrid &= c->hybrid != PLATFORM_HYBRID_NONE;
        any_hybrid |= c->hybrid != PLATFORM_HYBRID_NONE;
        p.midr &= c->midr != 0;
        p.max_freq &= c->max_freq_khz != 0;
        p.base_freq &= c->base_freq_khz != 0;
    }
    p.hybrid &= any_hybrid;
    return p;
}

/* Maps each distinct max frequency to the lowest frequency of its class (see
 * FREQ_SAME_CLASS_PERCENT). `sorted` holds the n online CPUs' frequencies in increasing order. */
static uint32_t freq_class_of(uint32_t freq, const uint32_t* sorted, uint32_t n)
{
    uint32_t class_start = sorted[0];
    for (uint32_t i = 0; i < n && sorted[i] <= freq; i++)
        if ((uint64_t)sorted[i] * 100u > (uint64_t)class_start * (100u + FREQ_SAME_CLASS_PERCENT))
            class_start = sorted[i];
    return class_start;
}

/* A kind is named only after a signal that every CPU reports: a name taken from one CPU's MIDR
 * would otherwise be given to CPUs whose core is unknown. */
static const char* kind_name(const platform_cpu_t* c, const signals_present_t* present)
{
    if (present->hybrid && c->hybrid == PLATFORM_HYBRID_CORE)
        return "Core";
    if (present->hybrid && c->hybrid == PLATFORM_HYBRID_ATOM)
        return "Atom";
    if (present->midr) {
        const char* name = arm_part_name(midr_implementer(c->midr), midr_part(c->midr));
        if (name)
            return name;
    }
    return "";
}

platform_status_t platform_rank_kinds(topo_builder_t* b)
{
    platform_topology_t* t = b->topo;
    signals_present_t present = signals_present(t);
    uint32_t n_online = 0;
    for (uint32_t i = 0; i < t->n_cpus; i++)
        n_online += t->cpus[i].online;
    if (n_online == 0)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "no online CPU in %s", t->source);

    kind_signature_t* sig = calloc(t->n_cpus, sizeof *sig);
    kind_signature_t* distinct = calloc(n_online, sizeof *distinct);
    uint32_t* freqs = calloc(n_online, sizeof *freqs);
    if (!sig || !distinct || !freqs) {
        free(sig);
        free(distinct);
        free(freqs);
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory ranking core kinds");
    }
    uint32_t nf = 0;
    for (uint32_t i = 0; i < t->n_cpus; i++)
        if (t->cpus[i].online)
            freqs[nf++] = t->cpus[i].max_freq_khz;
    qsort(freqs, nf, sizeof *freqs, compare_u32);

    uint32_t n_distinct = 0;
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        const platform_cpu_t* c = &t->cpus[i];
        if (!c->online)
            continue;
        kind_signature_t s = {0, 0, 0, 0, 0};
        if (present.capacity)
            s.capacity = c->capacity;
        if (present.hybrid)
            s.hybrid = c->hybrid;
        if (present.midr) {
            s.midr_class = arm_part_class(midr_implementer(c->midr), midr_part(c->midr));
            s.midr_key = midr_implementer(c->midr) << 12 | midr_part(c->midr);
        }
        if (present.base_freq)
            s.freq_class = c->base_freq_khz;
        else if (present.max_freq)
            s.freq_class = freq_class_of(c->max_freq_khz, freqs, nf);
        sig[i] = s;
        uint32_t k = 0;
        while (k < n_distinct && signature_compare(&distinct[k], &s) != 0)
            k++;
        if (k == n_distinct)
            distinct[n_distinct++] = s;
    }
    /* Rank: fastest first (insertion sort; kinds are few). */
    for (uint32_t i = 1; i < n_distinct; i++) {
        kind_signature_t s = distinct[i];
        uint32_t j = i;
        while (j > 0 && signature_compare(&distinct[j - 1], &s) < 0) {
            distinct[j] = distinct[j - 1];
            j--;
        }
        distinct[j] = s;
    }
    platform_status_t st = builder_set_kinds(b, n_distinct);
    if (st == PLATFORM_OK) {
        for (uint32_t i = 0; i < t->n_cpus; i++) {
            platform_cpu_t* c = &t->cpus[i];
            if (!c->online)
                continue;
            uint32_t k = 0;
            while (signature_compare(&distinct[k], &sig[i]) != 0)
                k++;
            if (t->kinds[k].name[0] == '\0')
                builder_set_kind_name(b, k, kind_name(c, &present));
            c->kind = (int32_t)k;
        }
    }
    free(sig);
    free(distinct);
    free(freqs);
    return st;
}
