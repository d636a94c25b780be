/*
 * debugger_displaced_aarch64.c — the displaced-execution engine on AArch64
 * (debugger_displaced.h).
 *
 * Every instruction is 4 bytes. Emulated in the handler (they compute with the pc): adr, adrp,
 * ldr/ldrsw/ldr (SIMD&FP) literal and prfm literal, b, bl, b.cond, cbz/cbnz, tbz/tbnz, and blr
 * (so x30 is the real return address). Copied into a trampoline followed by `b next` (the slot is
 * within ±128 MiB): everything else. Refused: brk/hlt/udf (already traps) and the store-exclusive
 * forms (the trap between ldxr and stxr clears the exclusive monitor, so the stxr would fail
 * forever).
 */
#if defined(__aarch64__)

#include "debugger_displaced.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "debugger_code_memory.h"
#include "debugger_decoder.h"

#define IMM26_REACH 0x7f00000u
#define BRK_OPCODE 0xd4200000u
/* brk immediates of our own: a breakpoint, and the end of a page-watch step. */
#define BRK_BREAKPOINT (BRK_OPCODE | (0x5c01u << 5))
#define BRK_STEP_END (BRK_OPCODE | (0x5c02u << 5))

/* The signal frame's records in __reserved (the kernel's <asm/sigcontext.h> layout). */
#define FPSIMD_RECORD_MAGIC 0x46508001u
#define ESR_RECORD_MAGIC 0x45535201u
#define SVE_RECORD_MAGIC 0x53564501u
#define SVE_RECORD_REGISTERS 16u /* offset of z0 in the record */
typedef struct {
    uint32_t magic;
    uint32_t size;
} frame_record_t;
typedef struct {
    frame_record_t head;
    uint32_t fpsr;
    uint32_t fpcr;
    __uint128_t vregs[32];
} fpsimd_record_t;
typedef struct {
    frame_record_t head;
    uint64_t esr;
} esr_record_t;

static const frame_record_t* frame_record(const ucontext_t* context, uint32_t magic)
{
    const unsigned char* at = context->uc_mcontext.__reserved;
    const unsigned char* end = at + sizeof(context->uc_mcontext.__reserved);
    while (at + sizeof(frame_record_t) <= end) {
        const frame_record_t* record = (const frame_record_t*)(const void*)at;
        if (record->magic == 0 || record->size == 0) {
            return NULL;
        }
        if (record->magic == magic) {
            return record;
        }
        at += record->size;
    }
    return NULL;
}

static bool register_number(arm64_reg reg, displaced_insn_t* insn)
{
    if (reg >= ARM64_REG_W0 && reg <= ARM64_REG_W30) {
        insn->reg = (uint8_t)(reg - ARM64_REG_W0);
        insn->width = 4;
    } else if (reg >= ARM64_REG_X0 && reg <= ARM64_REG_X28) {
        insn->reg = (uint8_t)(reg - ARM64_REG_X0);
        insn->width = 8;
    } else if (reg == ARM64_REG_X29 || reg == ARM64_REG_X30) {
        insn->reg = reg == ARM64_REG_X29 ? 29 : 30;
        insn->width = 8;
    } else if (reg == ARM64_REG_WZR || reg == ARM64_REG_XZR) {
        insn->reg = 31;
        insn->width = reg == ARM64_REG_WZR ? 4 : 8;
    } else if (reg >= ARM64_REG_S0 && reg <= ARM64_REG_S31) {
        insn->reg = (uint8_t)(reg - ARM64_REG_S0);
        insn->width = 4;
        insn->vector = true;
    } else if (reg >= ARM64_REG_D0 && reg <= ARM64_REG_D31) {
        insn->reg = (uint8_t)(reg - ARM64_REG_D0);
        insn->width = 8;
        insn->vector = true;
    } else if (reg >= ARM64_REG_Q0 && reg <= ARM64_REG_Q31) {
        insn->reg = (uint8_t)(reg - ARM64_REG_Q0);
        insn->width = 16;
        insn->vector = true;
    } else {
        return false;
    }
    return true;
}

static bool operand_is(const cs_arm64* arm, uint8_t index, arm64_op_type type)
{
    return arm->op_count > index && arm->operands[index].type == type;
}

/* Fills the emulated kinds; 1 when emulated, 0 when not one of them, -1 when refused. */
static int classify(const cs_insn* decoded, displaced_insn_t* insn)
{
    const cs_arm64* arm = &decoded->detail->arm64;
    switch (decoded->id) {
    case ARM64_INS_B:
    case ARM64_INS_BL:
        if (!operand_is(arm, 0, ARM64_OP_IMM)) {
            return 0;
        }
        insn->target = (uintptr_t)arm->operands[0].imm;
        if (decoded->id == ARM64_INS_BL) {
            insn->kind = DISPLACED_CALL;
        } else if (arm->cc != ARM64_CC_INVALID && arm->cc != ARM64_CC_AL) {
            insn->kind = DISPLACED_CONDITIONAL;
            insn->condition = (uint8_t)(arm->cc - 1); /* Capstone's codes are the ISA's + 1 */
        } else {
            insn->kind = DISPLACED_JUMP;
        }
        return 1;
    case ARM64_INS_CBZ:
    case ARM64_INS_CBNZ:
        if (!operand_is(arm, 1, ARM64_OP_IMM) || !register_number(arm->operands[0].reg, insn)) {
            return -1;
        }
        insn->kind = DISPLACED_COUNT_ZERO;
        insn->negate = decoded->id == ARM64_INS_CBNZ;
        insn->target = (uintptr_t)arm->operands[1].imm;
        return 1;
    case ARM64_INS_TBZ:
    case ARM64_INS_TBNZ:
        if (!operand_is(arm, 2, ARM64_OP_IMM) || !register_number(arm->operands[0].reg, insn)) {
            return -1;
        }
        insn->kind = DISPLACED_TEST_BIT;
        insn->negate = decoded->id == ARM64_INS_TBNZ;
        insn->bit = (uint8_t)arm->operands[1].imm;
        insn->target = (uintptr_t)arm->operands[2].imm;
        return 1;
    case ARM64_INS_ADR:
    case ARM64_INS_ADRP:
        if (!operand_is(arm, 1, ARM64_OP_IMM) || !register_number(arm->operands[0].reg, insn)) {
            return -1;
        }
        insn->kind = DISPLACED_SET_REGISTER;
        insn->target = (uintptr_t)arm->operands[1].imm;
        return 1;
    case ARM64_INS_LDR:
    case ARM64_INS_LDRSW:
    case ARM64_INS_PRFM:
        /* Literal forms have an immediate (the absolute address) where others have memory. */
        if (arm->op_count != 2 || !operand_is(arm, 1, ARM64_OP_IMM)) {
            return 0;
        }
        insn->kind = DISPLACED_LOAD_LITERAL;
        insn->target = (uintptr_t)arm->operands[1].imm;
        if (decoded->id == ARM64_INS_PRFM) {
            insn->prefetch = true;
            return 1;
        }
        if (!register_number(arm->operands[0].reg, insn)) {
            return -1;
        }
        if (decoded->id == ARM64_INS_LDRSW) {
            insn->sign_extend = true;
            insn->width = 4;
        }
        return 1;
    case ARM64_INS_BLR:
        if (!operand_is(arm, 0, ARM64_OP_REG) || !register_number(arm->operands[0].reg, insn)) {
            return -1;
        }
        insn->kind = DISPLACED_CALL_REGISTER;
        return 1;
    default: return 0;
    }
}

static bool refused(unsigned id)
{
    switch (id) {
    case ARM64_INS_BRK:
    case ARM64_INS_HLT:
    case ARM64_INS_STXR:
    case ARM64_INS_STXRB:
    case ARM64_INS_STXRH:
    case ARM64_INS_STXP:
    case ARM64_INS_STLXR:
    case ARM64_INS_STLXRB:
    case ARM64_INS_STLXRH:
    case ARM64_INS_STLXP: return true;
    default: return false;
    }
}

bool displaced_prepare(uintptr_t address, displaced_insn_t* insn, coremod_failure_t* failure)
{
    memset(insn, 0, sizeof(*insn));
    insn->address = address;
    insn->next = address + 4;
    insn->length = 4;
    memcpy(insn->original, (const void*)address, 4);
    csh handle;
    if (!displaced_decoder(&handle, failure)) {
        return false;
    }
    cs_insn* decoded = NULL;
    size_t count = cs_disasm(handle, insn->original, 4, address, 1, &decoded);
    bool ok = false;
    if (count != 1) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "no AArch64 instruction decodes at 0x%lx (0x%08x)", (unsigned long)address,
                    *(const uint32_t*)(const void*)insn->original);
        goto done;
    }
    snprintf(insn->mnemonic, sizeof(insn->mnemonic), "%.23s", decoded->mnemonic);
    if (refused(decoded->id)) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "'%s %s' at 0x%lx cannot be displaced (a trap, or a store-exclusive)",
                    decoded->mnemonic, decoded->op_str, (unsigned long)address);
        goto done;
    }
    int emulated = classify(decoded, insn);
    if (emulated < 0) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "'%s %s' at 0x%lx has operands that cannot be emulated", decoded->mnemonic,
                    decoded->op_str, (unsigned long)address);
        goto done;
    }
    if (emulated > 0) {
        ok = true;
        goto done;
    }
    uintptr_t slot = trampoline_allocate(address, IMM26_REACH);
    if (slot == 0) {
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                    "no executable memory within 128 MiB of 0x%lx for the displaced '%s'",
                    (unsigned long)address, insn->mnemonic);
        goto done;
    }
    uint32_t code[2];
    memcpy(&code[0], insn->original, 4);
    int64_t back = ((int64_t)insn->next - (int64_t)(slot + 4)) / 4;
    code[1] = 0x14000000u | ((uint32_t)back & 0x03ffffffu); /* b next */
    if (!trampoline_write(slot, code, sizeof(code))) {
        int saved = errno;
        trampoline_free(slot);
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "cannot write the trampoline: %s",
                    strerror(saved));
        goto done;
    }
    insn->kind = DISPLACED_RUN_TRAMPOLINE;
    insn->trampoline = slot;
    ok = true;
done:
    if (decoded != NULL) {
        cs_free(decoded, count);
    }
    return ok;
}

void displaced_release(displaced_insn_t* insn)
{
    if (insn->trampoline != 0) {
        trampoline_free(insn->trampoline);
        insn->trampoline = 0;
    }
}

static bool condition_holds(unsigned condition, uint64_t pstate)
{
    bool n = (pstate >> 31) & 1, z = (pstate >> 30) & 1, c = (pstate >> 29) & 1,
         v = (pstate >> 28) & 1;
    bool result;
    switch (condition >> 1) {
    case 0: result = z; break;
    case 1: result = c; break;
    case 2: result = n; break;
    case 3: result = v; break;
    case 4: result = c && !z; break;
    case 5: result = n == v; break;
    case 6: result = n == v && !z; break;
    default: result = true; break;
    }
    /* Odd codes negate, except 0b1111 (nv), which is "always" like al. */
    return ((condition & 1) && condition != 15) ? !result : result;
}

static uint64_t read_register(const mcontext_t* machine, const displaced_insn_t* insn)
{
    uint64_t value = insn->reg == 31 ? 0 : machine->regs[insn->reg];
    return insn->width == 4 ? (uint32_t)value : value;
}

static void load_literal(const displaced_insn_t* insn, ucontext_t* context)
{
    mcontext_t* machine = &context->uc_mcontext;
    if (insn->prefetch) {
        return;
    }
    const volatile unsigned char* from = (const volatile unsigned char*)insn->target;
    unsigned char bytes[16] = {0};
    for (unsigned i = 0; i < insn->width; i++) {
        bytes[i] = from[i];
    }
    if (insn->vector) {
        fpsimd_record_t* fpsimd =
            (fpsimd_record_t*)(uintptr_t)frame_record(context, FPSIMD_RECORD_MAGIC);
        if (fpsimd != NULL) {
            memcpy(&fpsimd->vregs[insn->reg], bytes, 16); /* the rest of the register is zeroed */
        }
        /* With SVE live the kernel (and qemu) restore the Z registers from the SVE record, whose
         * low 128 bits are the V registers: write there too, zeroing the upper part. */
        const frame_record_t* sve = frame_record(context, SVE_RECORD_MAGIC);
        if (sve != NULL && sve->size > SVE_RECORD_REGISTERS) {
            uint16_t vector_length;
            memcpy(&vector_length, (const unsigned char*)sve + 8, 2);
            unsigned char* z = (unsigned char*)(uintptr_t)sve + SVE_RECORD_REGISTERS +
                               (size_t)vector_length * insn->reg;
            if (SVE_RECORD_REGISTERS + (size_t)vector_length * (insn->reg + 1u) <= sve->size) {
                memset(z, 0, vector_length);
                memcpy(z, bytes, 16);
            }
        }
        return;
    }
    uint64_t value = 0;
    memcpy(&value, bytes, insn->width);
    if (insn->sign_extend) {
        value = (uint64_t)(int64_t)(int32_t)(uint32_t)value;
    }
    if (insn->reg != 31) {
        machine->regs[insn->reg] = value;
    }
}

void displaced_resume(const displaced_insn_t* insn, void* ucontext)
{
    ucontext_t* context = ucontext;
    mcontext_t* machine = &context->uc_mcontext;
    bool taken = false;
    switch ((displaced_kind_t)insn->kind) {
    case DISPLACED_RUN_TRAMPOLINE: machine->pc = insn->trampoline; return;
    case DISPLACED_JUMP: machine->pc = insn->target; return;
    case DISPLACED_CALL:
        machine->regs[30] = insn->next;
        machine->pc = insn->target;
        return;
    case DISPLACED_CALL_REGISTER: {
        uint64_t target = read_register(machine, insn);
        machine->regs[30] = insn->next;
        machine->pc = target;
        return;
    }
    case DISPLACED_CONDITIONAL: taken = condition_holds(insn->condition, machine->pstate); break;
    case DISPLACED_COUNT_ZERO: taken = (read_register(machine, insn) == 0) != insn->negate; break;
    case DISPLACED_TEST_BIT:
        taken = (((read_register(machine, insn) >> insn->bit) & 1) == 0) != insn->negate;
        break;
    case DISPLACED_SET_REGISTER:
        if (insn->reg != 31) {
            machine->regs[insn->reg] = insn->target;
        }
        break;
    case DISPLACED_LOAD_LITERAL: load_literal(insn, context); break;
    default: break;
    }
    machine->pc = taken ? insn->target : insn->next;
}

size_t displaced_breakpoint_trap(uint8_t* bytes)
{
    uint32_t trap = BRK_BREAKPOINT;
    memcpy(bytes, &trap, 4);
    return 4;
}

uintptr_t displaced_trap_address(const void* ucontext)
{
    return (uintptr_t)((const ucontext_t*)ucontext)->uc_mcontext.pc;
}

bool displaced_is_breakpoint_trap(uintptr_t address)
{
    return *(const volatile uint32_t*)address == BRK_BREAKPOINT;
}

uintptr_t displaced_fault_pc(const void* ucontext)
{
    return (uintptr_t)((const ucontext_t*)ucontext)->uc_mcontext.pc;
}

int displaced_fault_is_write(size_t slot, const void* ucontext)
{
    const esr_record_t* esr =
        (const esr_record_t*)(const void*)frame_record(ucontext, ESR_RECORD_MAGIC);
    if (esr != NULL) {
        return (esr->esr >> 6) & 1; /* WnR of a data abort's syndrome */
    }
    /* Unknown (qemu-user gives no ESR record): debugger_page_watch.c finds out by opening the
     * page for reading only, so that a write faults again. Decoding here would need Capstone's
     * own memory, which may share a page with the watched range. */
    (void)slot;
    return -1;
}

/* One page per slot: a thread's step page is written only by that thread, in its handler. */
static uintptr_t step_base;
static uintptr_t step_page_size;
static size_t step_count;
static uintptr_t step_resume[64];

bool displaced_step_init(size_t count)
{
    if (step_base != 0) {
        return true;
    }
    if (count > sizeof(step_resume) / sizeof(step_resume[0])) {
        return false;
    }
    step_page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    void* mapped = mmap(NULL, count * step_page_size, PROT_READ | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) {
        return false;
    }
    step_count = count;
    step_base = (uintptr_t)mapped;
    return true;
}

void displaced_step_begin(size_t slot, void* ucontext)
{
    mcontext_t* machine = &((ucontext_t*)ucontext)->uc_mcontext;
    uintptr_t page = step_base + slot * step_page_size;
    /* Loads and stores with a register base do not use the pc, so a plain copy runs the same.
     * A literal load (pc-relative, ±1 MiB) of a watched data page would read the wrong address:
     * compilers emit adrp+ldr for data, and literal pools live in (never watched) code pages. */
    uint32_t code[2] = {*(const uint32_t*)(uintptr_t)machine->pc, BRK_STEP_END};
    step_resume[slot] = machine->pc + 4;
    mprotect((void*)page, step_page_size, PROT_READ | PROT_WRITE);
    volatile uint32_t* to = (volatile uint32_t*)page;
    to[0] = code[0];
    to[1] = code[1];
    mprotect((void*)page, step_page_size, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char*)page, (char*)page + sizeof(code));
    machine->pc = page;
}

bool displaced_step_end(size_t slot, const siginfo_t* info, void* ucontext)
{
    (void)info;
    mcontext_t* machine = &((ucontext_t*)ucontext)->uc_mcontext;
    uintptr_t page = step_base + slot * step_page_size;
    if (slot >= step_count || machine->pc != page + 4 ||
        *(const uint32_t*)(uintptr_t)machine->pc != BRK_STEP_END) {
        return false;
    }
    machine->pc = step_resume[slot];
    return true;
}

#endif /* __aarch64__ */
