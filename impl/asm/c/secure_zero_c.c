/*
 * secure_zero_c.c — the C twin of coremod_secure_zero. Each store goes through a volatile
 * lvalue, which the compiler must perform (C11 5.1.2.3p6), so it cannot be elided even when
 * the memory is freed right after. Byte stores keep it portable C11; the price is speed
 * (coremod-kernel-bench shows how much).
 */
#include "secure_zero.h"

void COREMOD_C_TWIN(secure_zero)(void* p, size_t n)
{
    if (p == NULL)
        return;
    volatile unsigned char* bytes = p;
    for (size_t i = 0; i < n; i++)
        bytes[i] = 0;
}
