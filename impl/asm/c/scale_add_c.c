/*
 * scale_add_c.c — the C twin of coremod_scale_add_f32: out[i] = in[i] * 2 + 1, a multiply and
 * an add each rounded to float. meson compiles this file with -ffp-contract=off so no compiler
 * fuses them into an FMA (which rounds once and would differ from the assembly in the last bit).
 * The compiler may vectorise the loop; lane-wise mul/add gives the same bits.
 */
#include "scale_add.h"

void COREMOD_C_TWIN(scale_add_f32)(const float* in, float* out, size_t n)
{
    if (in == NULL || out == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        float scaled = in[i] * 2.0f;
        out[i] = scaled + 1.0f;
    }
}
