/*
 * kernel_arch.h — which assembly kernels this target has, and how the C twins are named.
 *
 * Every kernel has three names:
 *   coremod_<k>      the dispatched name the rest of coremod calls; meson's `kernels` option
 *                    decides whether it is the assembly or the C twin;
 *   coremod_<k>_c    the portable C twin, always built;
 *   coremod_<k>_asm  the hand-written assembly, built on x86-64 and AArch64 only
 *                    (COREMOD_KERNELS_HAVE_ASM), so tests compare both in one binary.
 */
#ifndef COREMOD_KERNEL_ARCH_H
#define COREMOD_KERNEL_ARCH_H

#if defined(__x86_64__) || defined(__aarch64__) || defined(__arm64__)
#define COREMOD_KERNELS_HAVE_ASM 1
#else
#define COREMOD_KERNELS_HAVE_ASM 0
#endif

/* The C twin sources are compiled twice when kernels=c: once as coremod_<k>_c (for the tests)
 * and once with COREMOD_C_TWIN_DISPATCHED as coremod_<k> itself, so the dispatched name costs
 * no wrapper call (which would also shift the sp/pc the state capture reports). */
#if defined(COREMOD_C_TWIN_DISPATCHED)
#define COREMOD_C_TWIN(k) coremod_##k
#else
#define COREMOD_C_TWIN(k) coremod_##k##_c
#endif

#endif /* COREMOD_KERNEL_ARCH_H */
