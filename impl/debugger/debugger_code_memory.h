/*
 * debugger_code_memory.h — writing into code that is running (SPEC 14), and the executable
 * memory that holds displaced instructions (trampolines).
 *
 * Code is never left writable: on x86-64 the bytes go through /proc/self/mem, which the kernel
 * writes without changing the page's protection; on AArch64 the page is made RWX for the copy
 * (other threads may keep executing it), the caches are synchronised, and the original
 * protection comes back. AArch64 avoids /proc/self/mem because qemu-user maps guest memory at
 * its own base and does not see such writes, so it would keep running stale translated code.
 */
#ifndef COREMOD_DEBUGGER_CODE_MEMORY_H
#define COREMOD_DEBUGGER_CODE_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Set time, sites lock held: copies `length` bytes to `address`, whose page(s) have
 * `protection` (restored afterwards). false with errno set when the write failed. */
bool code_memory_write(uintptr_t address, const void* bytes, size_t length, int protection);

/* Set time, sites lock held: a slot of DISPLACED_SLOT_SIZE executable bytes every byte of which
 * is within `reach` of `near`; 0 when none could be mapped. */
#define DISPLACED_SLOT_SIZE 32u
uintptr_t trampoline_allocate(uintptr_t near, uintptr_t reach);

/* Sites lock held: gives a slot back. Slots are reused oldest-freed first and only once many
 * are free, so a thread still running a cleared breakpoint's copy is not overwritten. */
void trampoline_free(uintptr_t slot);

/* Copies `length` (<= DISPLACED_SLOT_SIZE) bytes of code into a slot. */
bool trampoline_write(uintptr_t slot, const void* code, size_t length);

#endif /* COREMOD_DEBUGGER_CODE_MEMORY_H */
