/*
 * debugger_decoder.h — the one Capstone decoder of this machine's instruction set, for the
 * displaced-instruction engine (debugger_displaced_<machine>.c).
 */
#ifndef COREMOD_DEBUGGER_DECODER_H
#define COREMOD_DEBUGGER_DECODER_H

#include <capstone/capstone.h>
#include <stdbool.h>

#include "errors.h"

/* Set time, sites lock held: the decoder (with instruction details), opened at the first call and
 * kept; false with `failure` set (SYSTEM_ERROR) when Capstone cannot open one. */
bool displaced_decoder(csh* handle, coremod_failure_t* failure);

#endif /* COREMOD_DEBUGGER_DECODER_H */
