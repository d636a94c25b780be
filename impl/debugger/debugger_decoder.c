/* debugger_decoder.c — see debugger_decoder.h. */
#include "debugger_decoder.h"

#if defined(__x86_64__)
#define DECODER_ARCH CS_ARCH_X86
#define DECODER_MODE CS_MODE_64
#define DECODER_MACHINE "x86-64"
#elif defined(__aarch64__)
#define DECODER_ARCH CS_ARCH_ARM64
#define DECODER_MODE CS_MODE_ARM
#define DECODER_MACHINE "AArch64"
#else
#error "the debugger supports x86-64 and AArch64 only"
#endif

/* Opened once and kept: opening sorts Capstone's instruction tables, most of what a set cost when
 * each set opened its own. Sets run with the sites lock held (debugger_software.h), which
 * serializes the handle's users (a Capstone handle is not thread-safe). */
bool displaced_decoder(csh* handle, coremod_failure_t* failure)
{
    static csh opened;
    static bool is_open;
    if (!is_open) {
        if (cs_open(DECODER_ARCH, DECODER_MODE, &opened) != CS_ERR_OK) {
            failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                        "Capstone could not open an " DECODER_MACHINE " decoder");
            return false;
        }
        cs_option(opened, CS_OPT_DETAIL, CS_OPT_ON);
        is_open = true;
    }
    *handle = opened;
    return true;
}
