/*
 * a64_program.c — see a64_program.h. Field layouts follow the ARM ARM (DDI 0487) encoding
 * diagrams of each instruction named in the comments.
 */
#include "a64_program.h"

static uint32_t field(int64_t value, unsigned bits)
{
    return (uint32_t)((uint64_t)value & ((UINT64_C(1) << bits) - 1));
}

uint32_t a64_b(int32_t off)
{
    return 0x14000000u | field(off, 26);
} /* B: 0 00101 imm26 */
uint32_t a64_bl(int32_t off)
{
    return 0x94000000u | field(off, 26);
} /* BL: 1 00101 imm26 */

/* B.cond: 0101010 0 imm19 0 cond; BC.cond has bit 4 set (FEAT_HBC). */
uint32_t a64_bcond(unsigned cond, int32_t off)
{
    return 0x54000000u | field(off, 19) << 5 | (cond & 15);
}
uint32_t a64_bccond(unsigned cond, int32_t off)
{
    return a64_bcond(cond, off) | 0x10u;
}

/* CBZ/CBNZ: sf 011010 op imm19 Rt */
uint32_t a64_cbz(unsigned sf, unsigned nonzero, unsigned rt, int32_t off)
{
    return (sf & 1u) << 31 | 0x34000000u | (nonzero & 1u) << 24 | field(off, 19) << 5 | (rt & 31);
}

/* TBZ/TBNZ: b5 011011 op b40 imm14 Rt */
uint32_t a64_tbz(unsigned bit, unsigned nonzero, unsigned rt, int32_t off)
{
    return ((bit >> 5) & 1u) << 31 | 0x36000000u | (nonzero & 1u) << 24 | (bit & 31) << 19 |
           field(off, 14) << 5 | (rt & 31);
}

/* Branch (register): 1101011 opc 11111 000000 Rn 00000; opc BR 0000, BLR 0001, RET 0010 */
uint32_t a64_br(unsigned rn)
{
    return 0xD61F0000u | (rn & 31) << 5;
}
uint32_t a64_blr(unsigned rn)
{
    return 0xD63F0000u | (rn & 31) << 5;
}
uint32_t a64_ret(unsigned rn)
{
    return 0xD65F0000u | (rn & 31) << 5;
}

static int32_t random_offset(test_rng_t* rng, int32_t min, int32_t max)
{
    switch (test_rng_below(rng, 6)) { /* the extremes and the neighbourhood of 0 often */
    case 0: return min;
    case 1: return max;
    case 2: return (int32_t)test_rng_below(rng, 5) - 2;
    default:
        return (int32_t)((int64_t)min +
                         (int64_t)test_rng_below(rng, (uint64_t)((int64_t)max - min + 1)));
    }
}

static void expect_backward(coremod_insn_counts_t* e, int32_t off)
{
    if (off >= 0)
        return;
    uint64_t len = (uint64_t)(-(int64_t)off);
    e->backward_branches++;
    e->loop_words_sum += len;
    if (len > e->loop_words_max)
        e->loop_words_max = len;
}

static unsigned reg(test_rng_t* rng)
{
    return (unsigned)test_rng_below(rng, 32);
}

enum kind {
    K_B,
    K_BL,
    K_BCOND,
    K_BCCOND,
    K_CBZ,
    K_TBZ,
    K_BR,
    K_BLR,
    K_RET,
    K_PAC_BRANCH,
    K_LDST_UIMM,
    K_LDST_SIMD,
    K_PAIR,
    K_LITERAL,
    K_EXCLUSIVE,
    K_ATOMIC,
    K_LDRAA,
    K_STRUCT,
    K_FP_DP,
    K_SIMD_DP,
    K_INT_DP,
    K_SYSTEM,
    K_KIND_COUNT
};

static void emit_branch(test_rng_t* rng, enum kind k, uint32_t* w, coremod_insn_counts_t* e)
{
    int32_t off;
    e->branches++;
    switch (k) {
    case K_B:
        off = random_offset(rng, A64_IMM26_MIN, A64_IMM26_MAX);
        *w = a64_b(off);
        e->unconditional_immediate++;
        expect_backward(e, off);
        break;
    case K_BL: /* a call: never a loop, whatever its offset */
        *w = a64_bl(random_offset(rng, A64_IMM26_MIN, A64_IMM26_MAX));
        e->unconditional_immediate++;
        e->calls++;
        break;
    case K_BCOND:
    case K_BCCOND:
    case K_CBZ:
        off = random_offset(rng, A64_IMM19_MIN, A64_IMM19_MAX);
        *w = k == K_BCOND    ? a64_bcond((unsigned)test_rng_below(rng, 16), off)
             : k == K_BCCOND ? a64_bccond((unsigned)test_rng_below(rng, 16), off)
                             : a64_cbz((unsigned)test_rng_below(rng, 2),
                                       (unsigned)test_rng_below(rng, 2), reg(rng), off);
        e->conditional_branches++;
        expect_backward(e, off);
        break;
    case K_TBZ:
        off = random_offset(rng, A64_IMM14_MIN, A64_IMM14_MAX);
        *w = a64_tbz((unsigned)test_rng_below(rng, 64), (unsigned)test_rng_below(rng, 2), reg(rng),
                     off);
        e->conditional_branches++;
        expect_backward(e, off);
        break;
    case K_BR:
        *w = a64_br(reg(rng));
        e->indirect_branches++;
        break;
    case K_BLR:
        *w = a64_blr(reg(rng));
        e->indirect_branches++;
        e->calls++;
        break;
    case K_RET:
        *w = a64_ret(reg(rng));
        e->indirect_branches++;
        e->returns++;
        break;
    default: { /* BRAA/BRAB, BLRAA/BLRAB, RETAA/RETAB */
        unsigned which = (unsigned)test_rng_below(rng, 3), key = (unsigned)test_rng_below(rng, 2);
        if (which == 0) {
            *w = 0xD71F0800u | key << 10 | reg(rng) << 5 | reg(rng); /* BRAA: 1101011 1000 ... */
        } else if (which == 1) {
            *w = 0xD73F0800u | key << 10 | reg(rng) << 5 | reg(rng); /* BLRAA */
            e->calls++;
        } else {
            *w = 0xD65F0BFFu | key << 10; /* RETAA / RETAB */
            e->returns++;
        }
        e->indirect_branches++;
        break;
    }
    }
}

static void emit_memory(test_rng_t* rng, enum kind k, uint32_t* w, coremod_insn_counts_t* e)
{
    unsigned rn = reg(rng), rt = reg(rng);
    switch (k) {
    case K_LDST_UIMM: { /* LDR/STR/LDRS*/ /*PRFM (unsigned offset): size 111 0 01 opc imm12 Rn Rt */
        unsigned size = (unsigned)test_rng_below(rng, 4), opc;
        do
            opc = (unsigned)test_rng_below(rng, 4);
        while (opc == 3 && size >= 2); /* unallocated */
        *w = size << 30 | 0x39000000u | opc << 22 |
             field((int64_t)test_rng_below(rng, 4096), 12) << 10 | rn << 5 | rt;
        if (opc == 0)
            e->stores++;
        else
            e->loads++;
        break;
    }
    case K_LDST_SIMD: { /* LDR/STR (SIMD&FP, unsigned offset): size 111 1 01 opc imm12 Rn Rt */
        unsigned size = (unsigned)test_rng_below(rng, 4), opc = (unsigned)test_rng_below(rng, 2);
        if (size == 0 && test_rng_below(rng, 2))
            opc += 2; /* 128-bit: STR Q (10), LDR Q (11) */
        *w = size << 30 | 0x3D000000u | opc << 22 |
             field((int64_t)test_rng_below(rng, 4096), 12) << 10 | rn << 5 | rt;
        if (opc & 1)
            e->loads++;
        else
            e->stores++;
        break;
    }
    case K_PAIR: { /* LDP/STP: opc 101 V mode L imm7 Rt2 Rn Rt, mode 1..3 */
        unsigned v = (unsigned)test_rng_below(rng, 2), l = (unsigned)test_rng_below(rng, 2);
        unsigned opc = v ? (unsigned)test_rng_below(rng, 3) : 2u * (unsigned)test_rng_below(rng, 2);
        unsigned mode = 1 + (unsigned)test_rng_below(rng, 3);
        *w = opc << 30 | 0x28000000u | v << 26 | mode << 23 | l << 22 |
             field((int64_t)test_rng_below(rng, 128), 7) << 15 | reg(rng) << 10 | rn << 5 | rt;
        if (l)
            e->loads++;
        else
            e->stores++;
        break;
    }
    case K_LITERAL: { /* LDR (literal): opc 011 V 00 imm19 Rt — bits 23:22 are offset bits */
        unsigned v = (unsigned)test_rng_below(rng, 2);
        unsigned opc = (unsigned)test_rng_below(rng, v ? 3 : 4);
        *w = opc << 30 | 0x18000000u | v << 26 |
             field(random_offset(rng, A64_IMM19_MIN, A64_IMM19_MAX), 19) << 5 | rt;
        e->loads++;
        break;
    }
    case K_EXCLUSIVE: { /* LDXR/STXR/LDAXR/STLXR/LDAR/STLR: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt */
        unsigned l = (unsigned)test_rng_below(rng, 2), o2 = (unsigned)test_rng_below(rng, 2);
        unsigned rs = l || o2 ? 31u : reg(rng);
        *w = (unsigned)test_rng_below(rng, 4) << 30 | 0x08000000u | o2 << 23 | l << 22 | rs << 16 |
             (unsigned)test_rng_below(rng, 2) << 15 | 31u << 10 | rn << 5 | rt;
        if (l)
            e->loads++;
        else
            e->stores++;
        break;
    }
    case K_ATOMIC: { /* size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt */
        unsigned o3_opc = (unsigned)test_rng_below(rng, 10);
        unsigned ar = (unsigned)test_rng_below(rng, 4), rs = reg(rng);
        if (o3_opc == 9) { /* LDAPR: A = 1, R = 0, Rs = 11111, o3 opc = 1100 */
            o3_opc = 0xC;
            ar = 2;
            rs = 31;
            e->loads++;
        } else { /* LDADD..LDUMIN (o3 = 0), SWP (1000): read and write */
            e->loads++;
            e->stores++;
        }
        *w = (unsigned)test_rng_below(rng, 4) << 30 | 0x38200000u | ar << 22 | rs << 16 |
             o3_opc << 12 | rn << 5 | rt;
        break;
    }
    case K_LDRAA: /* LDRAA/LDRAB: 11 111 0 00 M S 1 imm9 W 1 Rn Rt */
        *w = 0xF8200400u | (unsigned)test_rng_below(rng, 4) << 22 |
             field((int64_t)test_rng_below(rng, 512), 9) << 12 |
             (unsigned)test_rng_below(rng, 2) << 11 | rn << 5 | rt;
        e->loads++;
        break;
    default: { /* LD1/ST1 (multiple structures): 0 Q 0011000 L 000000 0111 size Rn Rt */
        unsigned l = (unsigned)test_rng_below(rng, 2);
        *w = (unsigned)test_rng_below(rng, 2) << 30 | 0x0C000000u | l << 22 | 0x7u << 12 |
             (unsigned)test_rng_below(rng, 4) << 10 | rn << 5 | rt;
        if (l)
            e->loads++;
        else
            e->stores++;
        break;
    }
    }
}

static void emit_other(test_rng_t* rng, enum kind k, uint32_t* w, coremod_insn_counts_t* e)
{
    unsigned rd = reg(rng), rn = reg(rng), rm = reg(rng);
    switch (k) {
    case K_FP_DP: /* FADD (scalar): 0 0 0 11110 ftype 1 Rm 001 0 10 Rn Rd */
        *w = 0x1E202800u | (unsigned)test_rng_below(rng, 2) << 22 | rm << 16 | rn << 5 | rd;
        e->simd_fp++;
        break;
    case K_SIMD_DP: /* ADD (vector): 0 Q 0 01110 size 1 Rm 10000 1 Rn Rd */
        *w = 0x0E208400u | (unsigned)test_rng_below(rng, 2) << 30 |
             (unsigned)test_rng_below(rng, 4) << 22 | rm << 16 | rn << 5 | rd;
        e->simd_fp++;
        break;
    case K_INT_DP: /* ADD (shifted register): sf 0 0 01011 shift 0 Rm imm6 Rn Rd */
        *w = (unsigned)test_rng_below(rng, 2) << 31 | 0x0B000000u |
             (unsigned)test_rng_below(rng, 3) << 22 | rm << 16 | rn << 5 | rd;
        break;
    default: /* NOP, the system hint space: 1101010100 0 00 011 0010 0000 000 11111 */
        *w = 0xD503201Fu;
        break;
    }
}

void a64_emit_random(test_rng_t* rng, uint32_t* words, size_t* n, coremod_insn_counts_t* expected)
{
    enum kind k = (enum kind)test_rng_below(rng, K_KIND_COUNT);
    uint32_t* w = &words[*n];
    if (k <= K_PAC_BRANCH)
        emit_branch(rng, k, w, expected);
    else if (k <= K_STRUCT)
        emit_memory(rng, k, w, expected);
    else
        emit_other(rng, k, w, expected);
    (*n)++;
}
