/* prefetch_range_c.c — the C twin of coremod_prefetch_range (contract in prefetch_range.h). */
#include "prefetch_range.h"

#include <stdint.h>

size_t COREMOD_C_TWIN(prefetch_range)(const void* start, size_t bytes, size_t stride_bytes,
                                      unsigned distance_lines)
{
    uintptr_t first = (uintptr_t)start;
    if (start == NULL || bytes == 0 || stride_bytes == 0 || first + (bytes - 1) < first)
        return 0;
    size_t count = bytes / stride_bytes + (bytes % stride_bytes != 0);
    if (distance_lines > 0 && count > distance_lines)
        count = distance_lines;
    /* Address arithmetic on uintptr_t: the range may end outside any object (prefetches of
     * unmapped memory are harmless), which pointer arithmetic could not express. */
    for (size_t k = 0; k < count; k++)
        __builtin_prefetch((const void*)(first + k * stride_bytes), 0, 3);
    return count;
}
