/*
 * debugger_handler_memory.h — memory the signal handlers write (contexts and their event
 * queues), in pages of its own.
 *
 * A page watch closes whole pages. Memory from malloc shares its pages with the program's own
 * blocks, so the document's example (a write watch on a malloc'd block) would close the very
 * queue the handler records that write into, and the handler would fault inside itself. Pages
 * mapped for the handlers alone hold nothing a program watches.
 */
#ifndef COREMOD_DEBUGGER_HANDLER_MEMORY_H
#define COREMOD_DEBUGGER_HANDLER_MEMORY_H

#include <stddef.h>

/* Zeroed memory of `size` bytes in pages of its own; NULL when none can be mapped. */
void* handler_memory_alloc(size_t size);

/* Gives back what handler_memory_alloc(size) returned (NULL does nothing). */
void handler_memory_free(void* memory, size_t size);

#endif /* COREMOD_DEBUGGER_HANDLER_MEMORY_H */
