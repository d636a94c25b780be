/*
 * error_names.h — the harness's own names for module_error_t values, for failure messages.
 *
 * Deliberately not module_get_error_string: the candidate's strings are under test.
 */
#ifndef CONFORMANCE_ERROR_NAMES_H
#define CONFORMANCE_ERROR_NAMES_H

#include "module_interface.h"

/* Number of documented values: MODULE_SUCCESS .. MODULE_ERROR_SYSTEM_ERROR. */
#define DOCUMENTED_ERROR_COUNT 9

/* "MODULE_ERROR_FILE_NOT_FOUND" etc.; "undocumented value N" for anything else (the text then
 * lives in a per-thread buffer, valid until that thread's next call). */
const char* error_name(module_error_t error);

#endif /* CONFORMANCE_ERROR_NAMES_H */
