/* debugger_handler_memory.c — see debugger_handler_memory.h. */
#include "debugger_handler_memory.h"

#include <sys/mman.h>

void* handler_memory_alloc(size_t size)
{
    void* memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return memory == MAP_FAILED ? NULL : memory; /* anonymous pages come zeroed */
}

void handler_memory_free(void* memory, size_t size)
{
    if (memory != NULL) {
        munmap(memory, size);
    }
}
