/*
 * secure_zero.h — zeroes memory in a way the compiler cannot remove (for keys, passwords and
 * other secrets about to be freed). A plain memset before free is dead-store eliminated.
 * Assembly: REP STOSB (large) and overlapping SSE stores (small) on x86-64, STP XZR / STP Q
 * loops with 16-byte alignment on AArch64. The calls are opaque to the optimiser.
 * C twin: stores through a volatile pointer, one byte at a time (portable C11, and slow).
 */
#ifndef COREMOD_SECURE_ZERO_H
#define COREMOD_SECURE_ZERO_H

#include <stddef.h>

#include "kernel_arch.h"

/* Sets the n bytes at p to zero and touches nothing else. p == NULL or n == 0: does nothing.
 * Any alignment. */
void coremod_secure_zero(void* p, size_t n);
void coremod_secure_zero_c(void* p, size_t n);
#if COREMOD_KERNELS_HAVE_ASM
void coremod_secure_zero_asm(void* p, size_t n);
#endif

#endif /* COREMOD_SECURE_ZERO_H */
