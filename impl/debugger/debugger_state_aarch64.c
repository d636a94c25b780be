/* debugger_state_aarch64.c — see debugger_state.h: AArch64 registers from a Linux ucontext. */
#include <string.h>
#include <ucontext.h>

#include "debugger_state.h"

/* The FPSIMD record of the signal frame (the kernel's struct fpsimd_context, uapi
 * asm/sigcontext.h), described here by offsets because that header's struct sigcontext clashes
 * with glibc's: {u32 magic; u32 size;} head, u32 fpsr, u32 fpcr, then 32 x 128-bit vregs. The
 * records are chained in mcontext.__reserved, each starting with its magic and size; a zero
 * magic ends the chain. */
#define FPSIMD_RECORD_MAGIC 0x46508001u
#define FPSIMD_RECORD_FPSR 8
#define FPSIMD_RECORD_FPCR 12
#define FPSIMD_RECORD_VREGS 16
#define FPSIMD_RECORD_SIZE (16 + 32 * 16)

static uint32_t load32(const unsigned char* p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

void debugger_registers_capture(debugger_registers_t* out, const void* ucontext)
{
    const ucontext_t* uc = ucontext;
    const mcontext_t* m = &uc->uc_mcontext;
    arm64_processor_state_t* s = &out->arm64;
    for (int i = 0; i < 31; i++) {
        s->x[i] = m->regs[i];
    }
    s->sp = m->sp;
    s->pc = m->pc;
    s->pstate = m->pstate;
    memset(s->v, 0, sizeof(s->v));
    s->fpcr = 0;
    s->fpsr = 0;
    const unsigned char* record = (const unsigned char*)m->__reserved;
    const unsigned char* end = record + sizeof(m->__reserved);
    while (record + 8 <= end) {
        uint32_t magic = load32(record);
        uint32_t size = load32(record + 4);
        if (magic == 0 || size < 8 || size > (size_t)(end - record)) {
            break;
        }
        if (magic == FPSIMD_RECORD_MAGIC && size >= FPSIMD_RECORD_SIZE) {
            s->fpsr = load32(record + FPSIMD_RECORD_FPSR);
            s->fpcr = load32(record + FPSIMD_RECORD_FPCR);
            memcpy(s->v, record + FPSIMD_RECORD_VREGS, sizeof(s->v));
            break;
        }
        record += size;
    }
}

uintptr_t debugger_ucontext_pc(const void* ucontext)
{
    const ucontext_t* uc = ucontext;
    return (uintptr_t)uc->uc_mcontext.pc;
}

bool debugger_registers_to_arm64(const debugger_registers_t* registers,
                                 arm64_processor_state_t* out, coremod_failure_t* failure)
{
    (void)failure;
    *out = registers->arm64;
    return true;
}

bool debugger_registers_to_x86_64(const debugger_registers_t* registers,
                                  x86_64_processor_state_t* out, coremod_failure_t* failure)
{
    (void)registers;
    (void)out;
    failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                "x86_64_processor_state_t is not supported on AArch64; use "
                "module_debugger_get_processor_state");
    return false;
}

bool debugger_registers_have_arm64(void)
{
    return true;
}

bool debugger_registers_have_x86_64(void)
{
    return false;
}
