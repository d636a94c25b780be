/*
 * processor_state_c.c — the C twin of the processor-state capture: fills what C (with the
 * GCC/Clang builtins) can know, zero elsewhere. processor_state.h lists each field.
 */
#include "processor_state.h"

#include <fenv.h>
#include <stddef.h>
#include <string.h>

/* Same layout as the document's arm64_processor_state_t; the assembly stores by offset. */
_Static_assert(offsetof(coremod_processor_state_t, sp) == 248, "state layout");
_Static_assert(offsetof(coremod_processor_state_t, pc) == 256, "state layout");
_Static_assert(offsetof(coremod_processor_state_t, pstate) == 264, "state layout");
_Static_assert(offsetof(coremod_processor_state_t, v) == 272, "state layout");
_Static_assert(offsetof(coremod_processor_state_t, fpcr) == 784, "state layout");
_Static_assert(offsetof(coremod_processor_state_t, fpsr) == 792, "state layout");
_Static_assert(sizeof(coremod_processor_state_t) == 800, "state layout");

/* noinline: the builtins describe this function's own frame, which must be the one the caller
 * called (an inlined copy would report the caller's caller). */
__attribute__((noinline)) void
COREMOD_C_TWIN(capture_processor_state)(coremod_processor_state_t* out)
{
    if (out == NULL)
        return;
    memset(out, 0, sizeof *out);
    out->pc = (uint64_t)(uintptr_t)__builtin_return_address(0);
    out->sp = (uint64_t)(uintptr_t)__builtin_dwarf_cfa();
    int rounding = fegetround();
    out->fpcr = rounding < 0 ? 0 : (uint64_t)rounding;
    out->fpsr = (uint64_t)(unsigned)fetestexcept(FE_ALL_EXCEPT);
}
