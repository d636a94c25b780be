/*
 * debugger_displaced_x86_64.c — the displaced-execution engine on x86-64 (debugger_displaced.h).
 *
 * Copied into a trampoline: every instruction that does not read rip, and those whose only use
 * of rip is a rip-relative memory operand (disp32 adjusted; the trampoline is within ±2 GiB).
 * Emulated in the handler: jmp/call rel, jcc, loop/loope/loopne and jrcxz/jecxz, whose targets
 * are relative to where they live. Refused: int3/int/into/ud (already traps), other relative
 * branches (xbegin) and anything Capstone cannot decode.
 */
#if defined(__x86_64__)

#include "debugger_displaced.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ucontext.h>

#include "debugger_code_memory.h"
#include "debugger_decoder.h"

#define REL32_REACH 0x7fff0000u
#define EFLAGS_TF 0x100u

static int condition_of(unsigned id)
{
    switch (id) {
    case X86_INS_JO: return 0;
    case X86_INS_JNO: return 1;
    case X86_INS_JB: return 2;
    case X86_INS_JAE: return 3;
    case X86_INS_JE: return 4;
    case X86_INS_JNE: return 5;
    case X86_INS_JBE: return 6;
    case X86_INS_JA: return 7;
    case X86_INS_JS: return 8;
    case X86_INS_JNS: return 9;
    case X86_INS_JP: return 10;
    case X86_INS_JNP: return 11;
    case X86_INS_JL: return 12;
    case X86_INS_JGE: return 13;
    case X86_INS_JLE: return 14;
    case X86_INS_JG: return 15;
    default: return -1;
    }
}

static bool condition_holds(unsigned condition, uint64_t flags)
{
    bool cf = flags & 0x1, pf = flags & 0x4, zf = flags & 0x40, sf = flags & 0x80,
         of = flags & 0x800;
    bool result;
    switch (condition >> 1) {
    case 0: result = of; break;
    case 1: result = cf; break;
    case 2: result = zf; break;
    case 3: result = cf || zf; break;
    case 4: result = sf; break;
    case 5: result = pf; break;
    case 6: result = sf != of; break;
    default: result = zf || sf != of; break;
    }
    return (condition & 1) ? !result : result;
}

static bool is_trap(unsigned id)
{
    return id == X86_INS_INT3 || id == X86_INS_INT || id == X86_INS_INT1 || id == X86_INS_INTO ||
           id == X86_INS_UD2 || id == X86_INS_UD0 || id == X86_INS_UD2B;
}

static int64_t immediate_target(const cs_insn* decoded)
{
    const cs_x86* x86 = &decoded->detail->x86;
    for (uint8_t i = 0; i < x86->op_count; i++) {
        if (x86->operands[i].type == X86_OP_IMM) {
            return x86->operands[i].imm;
        }
    }
    return 0;
}

static bool has_rip_operand(const cs_insn* decoded)
{
    const cs_x86* x86 = &decoded->detail->x86;
    for (uint8_t i = 0; i < x86->op_count; i++) {
        if (x86->operands[i].type == X86_OP_MEM && x86->operands[i].mem.base == X86_REG_RIP) {
            return true;
        }
    }
    return false;
}

/* Fills the emulated kinds; false when the instruction is not one of them. */
static bool classify_branch(csh handle, const cs_insn* decoded, displaced_insn_t* insn)
{
    unsigned id = decoded->id;
    bool has_immediate = cs_insn_group(handle, decoded, CS_GRP_BRANCH_RELATIVE);
    if (!has_immediate) {
        return false;
    }
    insn->target = (uintptr_t)immediate_target(decoded);
    insn->width = decoded->detail->x86.prefix[3] == 0x67 ? 4 : 8;
    int condition = condition_of(id);
    if (id == X86_INS_JMP) {
        insn->kind = DISPLACED_JUMP;
    } else if (id == X86_INS_CALL) {
        insn->kind = DISPLACED_CALL;
    } else if (condition >= 0) {
        insn->kind = DISPLACED_CONDITIONAL;
        insn->condition = (uint8_t)condition;
    } else if (id == X86_INS_LOOP || id == X86_INS_LOOPE || id == X86_INS_LOOPNE) {
        insn->kind = DISPLACED_LOOP;
        insn->condition = id == X86_INS_LOOP ? 0 : id == X86_INS_LOOPE ? 1 : 2;
    } else if (id == X86_INS_JRCXZ || id == X86_INS_JECXZ || id == X86_INS_JCXZ) {
        insn->kind = DISPLACED_COUNT_ZERO;
        insn->width = id == X86_INS_JRCXZ ? 8 : 4;
    } else {
        return false;
    }
    return true;
}

/* Copies the instruction into a trampoline with a jump back, disp32 adjusted if rip-relative. */
static bool build_trampoline(const cs_insn* decoded, displaced_insn_t* insn,
                             coremod_failure_t* failure)
{
    uintptr_t slot = trampoline_allocate(insn->address, REL32_REACH);
    if (slot == 0) {
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                    "no executable memory within 2 GiB of 0x%lx for the displaced '%s'",
                    (unsigned long)insn->address, insn->mnemonic);
        return false;
    }
    uint8_t code[DISPLACED_SLOT_SIZE];
    memcpy(code, insn->original, insn->length);
    if (has_rip_operand(decoded)) {
        uint8_t offset = decoded->detail->x86.encoding.disp_offset;
        int32_t old_disp;
        memcpy(&old_disp, code + offset, 4);
        /* Same absolute address: target = next + old = slot + length + new. */
        int64_t new_disp = (int64_t)old_disp + (int64_t)insn->next - (int64_t)(slot + insn->length);
        if (offset == 0 || new_disp != (int32_t)new_disp) {
            trampoline_free(slot);
            failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                        "cannot relocate the rip-relative '%s %s' at 0x%lx", insn->mnemonic,
                        decoded->op_str, (unsigned long)insn->address);
            return false;
        }
        int32_t disp32 = (int32_t)new_disp;
        memcpy(code + offset, &disp32, 4);
    }
    /* jmp rel32 back to the next instruction */
    size_t length = insn->length;
    int64_t back = (int64_t)insn->next - (int64_t)(slot + length + 5);
    code[length] = 0xE9;
    int32_t back32 = (int32_t)back;
    memcpy(code + length + 1, &back32, 4);
    length += 5;
    if (!trampoline_write(slot, code, length)) {
        int saved = errno;
        trampoline_free(slot);
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "cannot write the trampoline: %s",
                    strerror(saved));
        return false;
    }
    insn->kind = DISPLACED_RUN_TRAMPOLINE;
    insn->trampoline = slot;
    return true;
}

bool displaced_prepare(uintptr_t address, displaced_insn_t* insn, coremod_failure_t* failure)
{
    memset(insn, 0, sizeof(*insn));
    insn->address = address;
    csh handle;
    if (!displaced_decoder(&handle, failure)) {
        return false;
    }
    cs_insn* decoded = NULL;
    size_t count = cs_disasm(handle, (const uint8_t*)address, 15, address, 1, &decoded);
    bool ok = false;
    if (count != 1) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "no x86-64 instruction decodes at 0x%lx", (unsigned long)address);
        goto done;
    }
    insn->length = (uint8_t)decoded->size;
    insn->next = address + decoded->size;
    memcpy(insn->original, decoded->bytes, decoded->size);
    snprintf(insn->mnemonic, sizeof(insn->mnemonic), "%.23s", decoded->mnemonic);
    if (is_trap(decoded->id)) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "'%s' at 0x%lx is already a trap and cannot be displaced", decoded->mnemonic,
                    (unsigned long)address);
        goto done;
    }
    if (classify_branch(handle, decoded, insn)) {
        ok = true;
        goto done;
    }
    if (cs_insn_group(handle, decoded, CS_GRP_BRANCH_RELATIVE)) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "the relative branch '%s %s' at 0x%lx cannot be displaced", decoded->mnemonic,
                    decoded->op_str, (unsigned long)address);
        goto done;
    }
    ok = build_trampoline(decoded, insn, failure);
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

void displaced_resume(const displaced_insn_t* insn, void* ucontext)
{
    greg_t* regs = ((ucontext_t*)ucontext)->uc_mcontext.gregs;
    uint64_t flags = (uint64_t)regs[REG_EFL];
    uint64_t rcx = (uint64_t)regs[REG_RCX];
    uint64_t count_mask = insn->width == 4 ? 0xffffffffu : ~(uint64_t)0;
    bool taken;
    switch ((displaced_kind_t)insn->kind) {
    case DISPLACED_RUN_TRAMPOLINE: regs[REG_RIP] = (greg_t)insn->trampoline; return;
    case DISPLACED_JUMP: regs[REG_RIP] = (greg_t)insn->target; return;
    case DISPLACED_CALL:
        regs[REG_RSP] -= 8;
        *(uint64_t*)(uintptr_t)regs[REG_RSP] = insn->next;
        regs[REG_RIP] = (greg_t)insn->target;
        return;
    case DISPLACED_CONDITIONAL: taken = condition_holds(insn->condition, flags); break;
    case DISPLACED_LOOP:
        rcx = (rcx & ~count_mask) | ((rcx - 1) & count_mask);
        regs[REG_RCX] = (greg_t)rcx;
        taken = (rcx & count_mask) != 0;
        if (insn->condition == 1) {
            taken = taken && (flags & 0x40);
        } else if (insn->condition == 2) {
            taken = taken && !(flags & 0x40);
        }
        break;
    case DISPLACED_COUNT_ZERO: taken = (rcx & count_mask) == 0; break;
    default: taken = false; break;
    }
    regs[REG_RIP] = (greg_t)(taken ? insn->target : insn->next);
}

size_t displaced_breakpoint_trap(uint8_t* bytes)
{
    bytes[0] = 0xCC;
    return 1;
}

uintptr_t displaced_trap_address(const void* ucontext)
{
    return (uintptr_t)((const ucontext_t*)ucontext)->uc_mcontext.gregs[REG_RIP] - 1;
}

bool displaced_is_breakpoint_trap(uintptr_t address)
{
    return *(const volatile uint8_t*)address == 0xCC;
}

uintptr_t displaced_fault_pc(const void* ucontext)
{
    return (uintptr_t)((const ucontext_t*)ucontext)->uc_mcontext.gregs[REG_RIP];
}

int displaced_fault_is_write(size_t slot, const void* ucontext)
{
    (void)slot;
    /* The page-fault error code: bit 1 is set for a write. */
    return (((const ucontext_t*)ucontext)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
}

bool displaced_step_init(size_t count)
{
    (void)count; /* TF needs no memory */
    return true;
}

void displaced_step_begin(size_t slot, void* ucontext)
{
    (void)slot;
    ((ucontext_t*)ucontext)->uc_mcontext.gregs[REG_EFL] |= EFLAGS_TF;
}

bool displaced_step_end(size_t slot, const siginfo_t* info, void* ucontext)
{
    (void)slot;
    greg_t* regs = ((ucontext_t*)ucontext)->uc_mcontext.gregs;
    if (info->si_code != TRAP_TRACE || !(regs[REG_EFL] & EFLAGS_TF)) {
        return false;
    }
    regs[REG_EFL] &= ~(greg_t)EFLAGS_TF;
    return true;
}

#endif /* __x86_64__ */
