/*
 * insn_classify_c.c — the C twin of the instruction classifier, and the readable statement of
 * its rules (impl/asm/README.md gives them with the ARM ARM field names). The assembly versions
 * compute the same predicates on 8 (AVX2) or 4 (NEON) words at once.
 */
#include "insn_classify.h"

#include <stddef.h>

/* The assembly stores results by offset; these pin the layout it assumes. */
_Static_assert(sizeof(coremod_insn_counts_t) == 13 * 8, "counts layout");
_Static_assert(offsetof(coremod_insn_counts_t, branches) == 8, "counts layout");
_Static_assert(offsetof(coremod_insn_counts_t, backward_branches) == 56, "counts layout");
_Static_assert(offsetof(coremod_insn_counts_t, loop_words_max) == 72, "counts layout");
_Static_assert(offsetof(coremod_insn_counts_t, stores) == 96, "counts layout");

static uint32_t read_word_le(const unsigned char* p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The signed value of the `bits`-wide field of w starting at bit `lsb` (a branch offset in
 * words). Done in 64 bits so no step relies on implementation-defined signed shifts. */
static int64_t signed_field(uint32_t w, unsigned lsb, unsigned bits)
{
    int64_t field = (int64_t)((w >> lsb) & ((UINT32_C(1) << bits) - 1));
    return (field & ((int64_t)1 << (bits - 1))) ? field - ((int64_t)1 << bits) : field;
}

static void count_backward(coremod_insn_counts_t* out, int64_t offset_words)
{
    if (offset_words >= 0)
        return;
    uint64_t length = (uint64_t)-offset_words;
    out->backward_branches++;
    out->loop_words_sum += length;
    if (length > out->loop_words_max)
        out->loop_words_max = length;
}

static void classify_branch(coremod_insn_counts_t* out, uint32_t w)
{
    if ((w & 0x7C000000u) == 0x14000000u) { /* B / BL: op 00101 imm26 */
        out->branches++;
        out->unconditional_immediate++;
        if (w & 0x80000000u)
            out->calls++; /* BL: a call is not a loop */
        else
            count_backward(out, signed_field(w, 0, 26));
    } else if ((w & 0xFF000000u) == 0x54000000u) { /* B.cond / BC.cond: imm19 at [23:5] */
        out->branches++;
        out->conditional_branches++;
        count_backward(out, signed_field(w, 5, 19));
    } else if ((w & 0x7E000000u) == 0x34000000u) { /* CBZ / CBNZ: imm19 at [23:5] */
        out->branches++;
        out->conditional_branches++;
        count_backward(out, signed_field(w, 5, 19));
    } else if ((w & 0x7E000000u) == 0x36000000u) { /* TBZ / TBNZ: imm14 at [18:5] */
        out->branches++;
        out->conditional_branches++;
        count_backward(out, signed_field(w, 5, 14));
    } else if ((w & 0xFEE00000u) == 0xD6000000u) { /* BR family: opc x000 */
        out->branches++;
        out->indirect_branches++;
    } else if ((w & 0xFEE00000u) == 0xD6200000u) { /* BLR family: opc x001 */
        out->branches++;
        out->indirect_branches++;
        out->calls++;
    } else if ((w & 0xFFE00000u) == 0xD6400000u) { /* RET family: opc 0010 */
        out->branches++;
        out->indirect_branches++;
        out->returns++;
    }
}

/* Load/store class words: which read memory, which write it (README: "loads and stores"). */
static void classify_load_store(coremod_insn_counts_t* out, uint32_t w)
{
    bool literal = (w & 0x3B000000u) == 0x18000000u;  /* LDR (literal), PRFM (literal) */
    bool pac_load = (w & 0xFF200400u) == 0xF8200400u; /* LDRAA / LDRAB */
    /* Atomic read-modify-write: LDADD..LDUMIN (o3 = 0) and SWP (o3 = 1, opc = 000). The rest of
     * that encoding space (LDAPR, LD64B, ST64B*) reads or writes only: the rules below. */
    bool atomic = (w & 0x3F208C00u) == 0x38200000u || (w & 0x3F20FC00u) == 0x38208000u;
    bool single_gpr = (w & 0x3E000000u) == 0x38000000u; /* LDR/STR (register), V = 0 */
    bool reads;
    if (literal || pac_load || atomic)
        reads = true;
    else if (single_gpr)
        reads = (w & 0x00C00000u) != 0; /* opc != 00: LDR*, LDRS*, PRFM */
    else
        reads = (w & 0x00400000u) != 0; /* the L bit, bit 22 */
    bool writes = atomic || (!literal && !pac_load && !reads);
    out->loads += reads;
    out->stores += writes;
}

bool COREMOD_C_TWIN(insn_classify)(const void* code, size_t word_count, coremod_insn_counts_t* out)
{
    if (out == NULL || (code == NULL && word_count > 0))
        return false;
    coremod_insn_counts_t counts = {0};
    counts.total = word_count;
    const unsigned char* bytes = code;
    for (size_t i = 0; i < word_count; i++) {
        uint32_t w = read_word_le(bytes + 4 * i);
        classify_branch(&counts, w);
        if ((w & 0x0E000000u) == 0x0E000000u) /* op0 = x111 */
            counts.simd_fp++;
        if ((w & 0x0A000000u) == 0x08000000u) /* op0 = x1x0 */
            classify_load_store(&counts, w);
    }
    *out = counts;
    return true;
}
