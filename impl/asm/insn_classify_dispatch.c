/*
 * insn_classify_dispatch.c — which classifier this CPU can run. The AVX2 kernel needs a CPU
 * check on x86-64 (AVX2 is not part of the x86-64 baseline), so with kernels=asm the dispatched
 * coremod_insn_classify is this C function there; on AArch64 the NEON kernel is the dispatched
 * name directly (Advanced SIMD is mandatory for AArch64 Linux and macOS).
 */
#include "insn_classify.h"

bool coremod_insn_classify_asm_supported(void)
{
#if defined(__x86_64__)
    /* libgcc / compiler-rt also require the OS to save YMM state (XGETBV) before reporting
     * AVX2, so this is the complete check. __builtin_cpu_init is normally run by a constructor;
     * calling it (it returns at once when done) makes the check valid even from another
     * library's constructor that runs first. */
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
#elif COREMOD_KERNELS_HAVE_ASM
    return true;
#else
    return false;
#endif
}

#if defined(__x86_64__) && defined(COREMOD_KERNEL_DISPATCH_ASM)
bool coremod_insn_classify(const void* code, size_t word_count, coremod_insn_counts_t* out)
{
    if (coremod_insn_classify_asm_supported())
        return coremod_insn_classify_asm(code, word_count, out);
    return coremod_insn_classify_c(code, word_count, out);
}
#endif
