/* error_names.c — see error_names.h. */
#include "error_names.h"

#include <stdio.h>

static const char* const documented_names[DOCUMENTED_ERROR_COUNT] = {
    [MODULE_SUCCESS] = "MODULE_SUCCESS",
    [MODULE_ERROR_INVALID_PARAMETER] = "MODULE_ERROR_INVALID_PARAMETER",
    [MODULE_ERROR_OUT_OF_MEMORY] = "MODULE_ERROR_OUT_OF_MEMORY",
    [MODULE_ERROR_FILE_NOT_FOUND] = "MODULE_ERROR_FILE_NOT_FOUND",
    [MODULE_ERROR_INVALID_MODULE] = "MODULE_ERROR_INVALID_MODULE",
    [MODULE_ERROR_SYMBOL_NOT_FOUND] = "MODULE_ERROR_SYMBOL_NOT_FOUND",
    [MODULE_ERROR_SECURITY_VIOLATION] = "MODULE_ERROR_SECURITY_VIOLATION",
    [MODULE_ERROR_RESOURCE_EXHAUSTED] = "MODULE_ERROR_RESOURCE_EXHAUSTED",
    [MODULE_ERROR_SYSTEM_ERROR] = "MODULE_ERROR_SYSTEM_ERROR",
};

const char* error_name(module_error_t error)
{
    int value = (int)error;
    if (value >= 0 && value < DOCUMENTED_ERROR_COUNT) {
        return documented_names[value];
    }
    static _Thread_local char undocumented[48];
    snprintf(undocumented, sizeof(undocumented), "undocumented value %d", value);
    return undocumented;
}
