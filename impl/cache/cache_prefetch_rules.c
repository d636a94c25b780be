/*
 * cache_prefetch_rules.c — SPEC 11.4–11.9. Integer arithmetic only, so every candidate derives
 * the same pattern from the same hierarchy.
 *
 * The idea: a prefetch must be issued far enough ahead to hide the latency of the level the data
 * comes from, and no further than the cache can hold without evicting what is in use. The window
 * (1/16 of L1, in lines) bounds what is in flight; data that lives in L1 needs a quarter of it,
 * data that lives in L2 half, data streamed from beyond L2 all of it.
 */
#include "cache_prefetch_rules.h"

typedef enum { REGION_L1 = 1, REGION_L2 = 2, REGION_BEYOND = 3 } region_t;

typedef struct {
    uint64_t line;   /* L */
    uint64_t l1;     /* C1, 0 unknown */
    uint64_t l2;     /* C2, 0 unknown */
    uint64_t window; /* W */
} cache_figures_t;

static cache_figures_t figures_of(const cache_hierarchy_info_t* h)
{
    cache_figures_t f;
    f.line = h->l1_cache_line_size != 0   ? h->l1_cache_line_size
             : h->l2_cache_line_size != 0 ? h->l2_cache_line_size
                                          : CACHE_DEFAULT_LINE_BYTES;
    f.l1 = h->l1_cache_size;
    f.l2 = h->l2_cache_size;
    if (f.l1 == 0) {
        f.window = CACHE_WINDOW_UNKNOWN_L1;
    } else {
        uint64_t lines = f.l1 / (CACHE_WINDOW_L1_DIVISOR * f.line);
        f.window = lines < CACHE_WINDOW_MIN_LINES ? CACHE_WINDOW_MIN_LINES : lines;
    }
    return f;
}

/* SPEC 11.4: where the data lives once it has been touched. */
static region_t region_of(const cache_figures_t* f, uint64_t size)
{
    if (f->l1 != 0 && size <= f->l1 / 2) {
        return REGION_L1;
    }
    if (f->l2 != 0 && size <= f->l2 / 2) {
        return REGION_L2;
    }
    return REGION_BEYOND;
}

/* SPEC 11.5: lines to keep in flight for a stream from `region`, at least one. */
static uint64_t stream_distance(const cache_figures_t* f, region_t region)
{
    uint64_t d = region == REGION_L1   ? f->window / 4
                 : region == REGION_L2 ? f->window / 2
                                       : f->window;
    return d == 0 ? 1 : d;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

void cache_prefetch_pattern_for(const cache_machine_t* machine, size_t size,
                                cache_access_pattern_t pattern, cache_prefetch_pattern_t* out)
{
    cache_figures_t f = figures_of(&machine->hierarchy);
    region_t region = region_of(&f, size);
    uint64_t lines = ceil_div(size, f.line);
    uint64_t stride = f.line;
    uint64_t distance = 0;
    switch (pattern) {
    case CACHE_ACCESS_SEQUENTIAL: /* 11.5 */
        distance = min_u64(lines, stream_distance(&f, region));
        break;
    case CACHE_ACCESS_STRIDED: /* 11.6: accesses skip lines: one prefetch every other line */
        stride = 2 * f.line;
        distance = min_u64(ceil_div(size, stride), stream_distance(&f, region));
        break;
    case CACHE_ACCESS_RANDOM: /* 11.7: warm a set that stays cached; never run ahead blindly */
        distance = region == REGION_BEYOND ? 0 : lines;
        break;
    case CACHE_ACCESS_TEMPORAL: /* 11.8: reused data that fits is warmed whole */
        distance = region == REGION_BEYOND ? min_u64(lines, stream_distance(&f, region)) : lines;
        break;
    }
    /* Within L2/2 (at most 2 GiB by the view's 32-bit sizes) or a window: fits 32 bits. */
    out->prefetch_distance = (uint32_t)min_u64(distance, UINT32_MAX);
    out->prefetch_stride = (uint32_t)stride;
    out->pattern = pattern;
    out->use_neon_prefetch = machine->arm && out->prefetch_distance > 0; /* 11.9 */
}
