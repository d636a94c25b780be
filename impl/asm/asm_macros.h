/*
 * asm_macros.h — symbol and section conventions shared by every .S kernel, so one source
 * assembles for ELF (Linux) and Mach-O (macOS). Include only from preprocessed assembly (.S).
 *
 * Why each difference exists:
 *  - Mach-O prefixes C symbols with '_'; ELF does not.
 *  - Mach-O has no .type/.size; ELF needs them so debuggers, perf and valgrind see functions.
 *  - ELF objects without a .note.GNU-stack section make the linker assume an executable stack.
 *  - Apple's AArch64 assembler treats ';' as a comment, so statements in one macro line are
 *    separated by '%%' there (the same convention as compiler-rt's assembly.h).
 *  - Kernels are internal to libcoremod: hidden on ELF, private_extern on Mach-O, like the C code
 *    (built with gnu_symbol_visibility: 'hidden').
 *
 * Every kernel exists under the name coremod_<k>_asm. When meson's `kernels` option is 'asm',
 * the sources are assembled with COREMOD_KERNEL_DISPATCH_ASM and CM_KERNEL_BEGIN also places the
 * dispatched name coremod_<k> at the same address (no wrapper, no extra call).
 */
/* An assembler header: clang-format knows C, not the assembler's directives. */
/* clang-format off */
#ifndef COREMOD_ASM_MACROS_H
#define COREMOD_ASM_MACROS_H

#if defined(__APPLE__)
#  define CM_NAME(n) _##n
#  if defined(__aarch64__) || defined(__arm64__)
#    define CM_SEP %%
#  else
#    define CM_SEP ;
#  endif
#  define CM_GLOBAL(n) .globl CM_NAME(n) CM_SEP .private_extern CM_NAME(n)
#  define CM_TYPE_FUNCTION(n)
#  define CM_SIZE(n)
#  define CM_RODATA .section __TEXT,__const
#  define CM_STACK_NOTE
#else
#  define CM_NAME(n) n
#  define CM_SEP ;
#  define CM_GLOBAL(n) .globl n CM_SEP .hidden n
#  define CM_TYPE_FUNCTION(n) .type n, %function
#  define CM_SIZE(n) .size n, . - n
#  define CM_RODATA .section .rodata
#  define CM_STACK_NOTE .section .note.GNU-stack,"",%progbits
#endif

/* A global (hidden) function label; CM_FUNC_END closes it. */
#define CM_FUNC_LABEL(n) CM_GLOBAL(n) CM_SEP CM_TYPE_FUNCTION(n) CM_SEP CM_NAME(n):
#define CM_FUNC_BEGIN(n) .text CM_SEP .p2align 4 CM_SEP CM_FUNC_LABEL(n)
#define CM_FUNC_END(n) CM_SIZE(n)

#if defined(COREMOD_KERNEL_DISPATCH_ASM)
#  define CM_KERNEL_BEGIN(k) CM_FUNC_BEGIN(coremod_##k##_asm) CM_SEP CM_FUNC_LABEL(coremod_##k)
#  define CM_KERNEL_END(k) CM_FUNC_END(coremod_##k##_asm) CM_SEP CM_FUNC_END(coremod_##k)
#else
#  define CM_KERNEL_BEGIN(k) CM_FUNC_BEGIN(coremod_##k##_asm)
#  define CM_KERNEL_END(k) CM_FUNC_END(coremod_##k##_asm)
#endif

#endif /* COREMOD_ASM_MACROS_H */
/* clang-format on */
