/* guard_string.c — see guard_string.h. */
#include "guard_string.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "case_context.h"

#define GUARD_MAPPINGS_MAX 32

static struct {
    void* base;
    size_t size;
} mappings[GUARD_MAPPINGS_MAX];

/* Returns the address `length` bytes before the start of a PROT_NONE page. */
static char* guarded_region(size_t length)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (length + page - 1) / page;
    if (data_pages == 0) {
        data_pages = 1;
    }
    size_t size = (data_pages + 1) * page;
    char* base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        conformance_fail("harness: mmap of a guard string: %s", strerror(errno));
    }
    char* guard = base + data_pages * page;
    if (mprotect(guard, page, PROT_NONE) != 0) {
        int saved = errno;
        munmap(base, size);
        conformance_fail("harness: mprotect of a guard page: %s", strerror(saved));
    }
    for (size_t i = 0; i < GUARD_MAPPINGS_MAX; i++) {
        if (mappings[i].base == NULL) {
            mappings[i].base = base;
            mappings[i].size = size;
            return guard - length;
        }
    }
    munmap(base, size);
    conformance_fail("harness: more than %d guard strings in one case", GUARD_MAPPINGS_MAX);
}

const char* guard_unterminated(size_t length, char fill)
{
    char* text = guarded_region(length);
    memset(text, fill, length);
    return text;
}

const char* guard_terminated(const char* text)
{
    size_t length = strlen(text) + 1;
    char* copy = guarded_region(length);
    memcpy(copy, text, length);
    return copy;
}

void guard_strings_release(void)
{
    for (size_t i = 0; i < GUARD_MAPPINGS_MAX; i++) {
        if (mappings[i].base != NULL) {
            munmap(mappings[i].base, mappings[i].size);
            mappings[i].base = NULL;
        }
    }
}
