/* case_memory.c — see case_memory.h. */
#include "case_memory.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_context.h"

/* Each allocation is preceded by a link to the previous one: a singly linked list that teardown
 * walks. Aligned for any object type a case might place in it. */
typedef struct case_block {
    struct case_block* previous;
    max_align_t payload[];
} case_block_t;

static case_block_t* case_blocks;

void* case_alloc(size_t size)
{
    case_block_t* block = calloc(1, sizeof(*block) + size);
    if (block == NULL) {
        conformance_fail("harness: out of memory allocating %zu bytes", size);
    }
    block->previous = case_blocks;
    case_blocks = block;
    return block->payload;
}

char* case_strf(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int length = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (length < 0) {
        conformance_fail("harness: cannot format '%s'", format);
    }
    char* text = case_alloc((size_t)length + 1);
    va_start(args, format);
    vsnprintf(text, (size_t)length + 1, format, args);
    va_end(args);
    return text;
}

char* case_strdup(const char* text)
{
    size_t length = strlen(text);
    char* copy = case_alloc(length + 1);
    memcpy(copy, text, length + 1);
    return copy;
}

void case_memory_release(void)
{
    while (case_blocks != NULL) {
        case_block_t* previous = case_blocks->previous;
        free(case_blocks);
        case_blocks = previous;
    }
}
