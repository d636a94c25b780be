/* debugger_state_x86_64.c — see debugger_state.h: x86-64 registers from a Linux ucontext. */
#include <string.h>
#include <ucontext.h>

#include "debugger_state.h"

void debugger_registers_capture(debugger_registers_t* out, const void* ucontext)
{
    const ucontext_t* uc = ucontext;
    const greg_t* g = uc->uc_mcontext.gregs;
    x86_64_processor_state_t* s = &out->x86_64;
    s->rax = (uint64_t)g[REG_RAX];
    s->rbx = (uint64_t)g[REG_RBX];
    s->rcx = (uint64_t)g[REG_RCX];
    s->rdx = (uint64_t)g[REG_RDX];
    s->rsi = (uint64_t)g[REG_RSI];
    s->rdi = (uint64_t)g[REG_RDI];
    s->rbp = (uint64_t)g[REG_RBP];
    s->rsp = (uint64_t)g[REG_RSP];
    s->r8 = (uint64_t)g[REG_R8];
    s->r9 = (uint64_t)g[REG_R9];
    s->r10 = (uint64_t)g[REG_R10];
    s->r11 = (uint64_t)g[REG_R11];
    s->r12 = (uint64_t)g[REG_R12];
    s->r13 = (uint64_t)g[REG_R13];
    s->r14 = (uint64_t)g[REG_R14];
    s->r15 = (uint64_t)g[REG_R15];
    s->rip = (uint64_t)g[REG_RIP];
    s->rflags = (uint64_t)g[REG_EFL];
    /* The kernel always saves the FPU state of a user thread in the signal frame; the pointer is
     * NULL only for a hand-made ucontext, whose vector state is then reported as zero. */
    const struct _libc_fpstate* fp = uc->uc_mcontext.fpregs;
    if (fp == NULL) {
        memset(s->xmm, 0, sizeof(s->xmm));
        s->mxcsr = 0;
        s->fcw = 0;
        s->fsw = 0;
        return;
    }
    for (int i = 0; i < 16; i++) {
        const uint32_t* e = fp->_xmm[i].element;
        s->xmm[i][0] = (uint64_t)e[0] | (uint64_t)e[1] << 32;
        s->xmm[i][1] = (uint64_t)e[2] | (uint64_t)e[3] << 32;
    }
    s->mxcsr = fp->mxcsr;
    s->fcw = fp->cwd;
    s->fsw = fp->swd;
}

uintptr_t debugger_ucontext_pc(const void* ucontext)
{
    const ucontext_t* uc = ucontext;
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
}

bool debugger_registers_to_arm64(const debugger_registers_t* registers,
                                 arm64_processor_state_t* out, coremod_failure_t* failure)
{
    (void)registers;
    (void)out;
    failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                "arm64_processor_state_t is not supported on x86-64 (the registers differ); use "
                "module_debugger_get_x86_64_state");
    return false;
}

bool debugger_registers_to_x86_64(const debugger_registers_t* registers,
                                  x86_64_processor_state_t* out, coremod_failure_t* failure)
{
    (void)failure;
    *out = registers->x86_64;
    return true;
}

bool debugger_registers_have_arm64(void)
{
    return false;
}

bool debugger_registers_have_x86_64(void)
{
    return true;
}
