/* bench_candidate.c — see bench_candidate.h. */
#include "bench_candidate.h"

#include <stdio.h>
#include <string.h>

/* The callback's message is valid only during the call (SPEC 7.3), and the callback runs on the
 * failing thread: each thread keeps a copy of the last one it received. It is cleared when a
 * failure consumes it, so a message is never attributed to a later failure that produced none. */
static _Thread_local char last_callback_message[512];

static void capture_error_message(module_error_t error, const char* message)
{
    (void)error;
    snprintf(last_callback_message, sizeof(last_callback_message), "%s",
             message ? message : "(callback received a NULL message)");
}

bool bench_candidate_has(const candidate_api_t* api, const char* name)
{
#define BENCH_CANDIDATE_LOOKUP(ret, fn, params)                                                    \
    if (strcmp(name, #fn) == 0) {                                                                  \
        return api->fn != NULL;                                                                    \
    }
    CANDIDATE_CORE_FUNCTIONS(BENCH_CANDIDATE_LOOKUP)
    CANDIDATE_OPTIMIZATION_FUNCTIONS(BENCH_CANDIDATE_LOOKUP)
    CANDIDATE_DEBUGGER_FUNCTIONS(BENCH_CANDIDATE_LOOKUP)
#undef BENCH_CANDIDATE_LOOKUP
    return false;
}

bool bench_candidate_require(const candidate_api_t* api, const char* const* names, size_t count,
                             char* why, size_t why_size)
{
    size_t missing = 0;
    why[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (bench_candidate_has(api, names[i])) {
            continue;
        }
        size_t used = strlen(why);
        snprintf(why + used, why_size - used, "%s%s",
                 missing == 0 ? "candidate does not export " : ", ", names[i]);
        missing++;
    }
    return missing == 0;
}

void bench_candidate_capture_errors(const candidate_api_t* api)
{
    if (api->module_set_error_callback != NULL) {
        api->module_set_error_callback(capture_error_message);
    }
}

void bench_candidate_release_errors(const candidate_api_t* api)
{
    if (api->module_set_error_callback != NULL) {
        api->module_set_error_callback(NULL);
    }
}

void bench_failure_from_candidate(bench_failure_t* failure, const candidate_api_t* api,
                                  const char* call)
{
    bench_failure_set_message(failure, call, last_callback_message);
    last_callback_message[0] = '\0';
    if (api->module_get_last_error != NULL) {
        failure->has_code = true;
        failure->code = (int)api->module_get_last_error();
        if (api->module_get_error_string != NULL) {
            const char* text = api->module_get_error_string((module_error_t)failure->code);
            snprintf(failure->string, sizeof(failure->string), "%s", text ? text : "(NULL)");
        }
    }
}
