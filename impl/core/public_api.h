/*
 * public_api.h — what every implementation file of the core API includes first.
 *
 * The library is built with -fvisibility=hidden (meson: gnu_symbol_visibility 'hidden') so that
 * no internal helper leaks into the ABI; each public function is exported on its definition with
 * COREMOD_PUBLIC. The public header stays exactly as the document declares it.
 */
#ifndef COREMOD_PUBLIC_API_H
#define COREMOD_PUBLIC_API_H

#include "module_interface.h"

#if defined(__GNUC__)
#define COREMOD_PUBLIC __attribute__((visibility("default")))
#else
#define COREMOD_PUBLIC
#endif

/* Handles and system pointers are 64-bit tokens (handle_table.h); the supported targets
 * (x86-64, AArch64) are all LP64. */
_Static_assert(sizeof(void*) == 8, "coremod's handle encoding needs 64-bit pointers");

#endif /* COREMOD_PUBLIC_API_H */
