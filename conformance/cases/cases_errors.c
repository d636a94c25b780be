/*
 * cases_errors.c — the last error, error strings and messages (SPEC 7.1, 7.2 document; 7.4, 7.5,
 * 7.6 coremod).
 */
#include <limits.h>

#include "conformance.h"

static void* read_last_error(void* result)
{
    *(module_error_t*)result = conformance_candidate.module_get_last_error();
    return NULL;
}

CONFORMANCE_CASE(core_err, CORE_ERR_001, "7.5",
                 "a thread that has made no call sees MODULE_SUCCESS")
{
    conformance_require_all_functions();
    CAND(module_load)(NULL, "x.so");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_load(NULL, ...)");
    module_error_t seen = (module_error_t)-1;
    pthread_t thread;
    cr_assert(pthread_create(&thread, NULL, read_last_error, &seen) == 0,
              "harness: pthread_create");
    pthread_join(thread, NULL);
    cr_assert(seen == MODULE_SUCCESS, "a fresh thread sees %s", error_name(seen));
}

CONFORMANCE_CASE(core_err, CORE_ERR_002, "7.1",
                 "after each failing call, module_get_last_error returns that call's own code")
{
    const char* missing = case_path("missing.so");
    const char* path = fixture_module("example_module");
    module_info_t info;

    /* Each failing call after a failure with another code: the code must change to its own. */
    module_system_t* system = case_system_new(NULL, 0);
    CAND(module_unload)(NULL);
    CAND(module_load)(system, missing);
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "module_load of a missing file");
    CAND(module_load)(NULL, path);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_load(NULL system, ...)");
    CAND(module_load_with_options)(system, missing, NULL);
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "module_load_with_options of a missing file");
    CAND(module_unload)(NULL);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_unload(NULL)");
    module_handle_t handle = case_load(system, path);
    CAND(module_get_symbol)(handle, "no_such_symbol");
    expect_last_error(MODULE_ERROR_SYMBOL_NOT_FOUND, "module_get_symbol of a missing symbol");
    CAND(module_get_info)(NULL, &info);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_get_info(NULL, ...)");
    CAND(module_get_symbol)(handle, NULL);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol(handle, NULL)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_err, CORE_ERR_008, "7.5",
                 "every successful call resets the last error; failing init and destroy set theirs")
{
    const char* missing = case_path("missing.so");
    const char* path = fixture_module("example_module");
    module_system_config_t bad_config = case_default_config(NULL);
    bad_config.max_concurrent_modules = 65537;

    module_system_t* system = case_system_new(NULL, 0);
    CAND(module_load)(system, missing);
    module_system_t* refused = CAND(module_system_init)(&bad_config);
    if (refused != NULL) {
        case_system_track(refused);
        conformance_fail("module_system_init accepted max_concurrent_modules = 65537 (the "
                         "config field above SPEC 2.7's bound 65536); expected NULL with "
                         "INVALID_PARAMETER");
    }
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                      "module_system_init with config field max_concurrent_modules = 65537");
    CAND(module_load)(system, missing);
    CAND(module_system_destroy)(NULL);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_system_destroy(NULL) (SPEC 2.8)");

    /* Each successful call right after a failure resets it. */
    CAND(module_load)(system, missing);
    module_system_t* second = CAND(module_system_init)(NULL);
    cr_assert(second != NULL, "module_system_init(NULL) returned NULL with %s; expected a system",
              error_name(CAND(module_get_last_error)()));
    expect_last_error(MODULE_SUCCESS, "successful module_system_init after a failing call");
    CAND(module_load)(system, missing);
    CAND(module_system_destroy)(second);
    expect_last_error(MODULE_SUCCESS, "successful module_system_destroy after a failing call");
    CAND(module_load)(system, missing);
    module_handle_t handle = case_load(system, path);
    expect_last_error(MODULE_SUCCESS, "successful module_load after a failing call");
    CAND(module_load)(system, missing);
    cr_assert(CAND(module_load_with_options)(system, path, NULL) == handle,
              "module_load_with_options(NULL options) of a loaded file did not return its handle");
    expect_last_error(MODULE_SUCCESS, "successful module_load_with_options after a failing call");
    CAND(module_load)(system, missing);
    case_unload(handle);
    expect_last_error(MODULE_SUCCESS, "successful module_unload after a failing call");
    CAND(module_load)(system, missing);
    case_symbol(handle, "example_function");
    expect_last_error(MODULE_SUCCESS, "successful module_get_symbol after a failing call");
    CAND(module_load)(system, missing);
    case_info(handle);
    expect_last_error(MODULE_SUCCESS, "successful module_get_info after a failing call");
    CAND(module_load)(system, missing);
    CAND(module_system_destroy)(system);
    case_system_forget(system);
    expect_last_error(MODULE_SUCCESS,
                      "module_system_destroy of a live system after a failing call");
}

typedef struct {
    pthread_barrier_t* barrier;
    const char* missing_path;
    module_system_t* system;
    module_error_t seen;
} err_thread_t;

/* A: fails with FILE_NOT_FOUND, waits while B fails differently, then reads its own error. */
static void* thread_a(void* argument)
{
    err_thread_t* a = argument;
    conformance_candidate.module_load(a->system, a->missing_path);
    pthread_barrier_wait(a->barrier); /* 1: A has failed */
    pthread_barrier_wait(a->barrier); /* 2: B has failed */
    a->seen = conformance_candidate.module_get_last_error();
    pthread_barrier_wait(a->barrier); /* 3: A has read */
    return NULL;
}

static void* thread_b(void* argument)
{
    err_thread_t* b = argument;
    pthread_barrier_wait(b->barrier); /* 1 */
    conformance_candidate.module_unload(NULL);
    pthread_barrier_wait(b->barrier); /* 2 */
    pthread_barrier_wait(b->barrier); /* 3 */
    b->seen = conformance_candidate.module_get_last_error();
    return NULL;
}

/* broken.md: the case that catches a process-wide last error. */
CONFORMANCE_CASE(core_err, CORE_ERR_003, "7.5", "each thread sees its own last error")
{
    conformance_require_all_functions();
    module_system_t* system = case_system_new(NULL, 0);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    err_thread_t a = {
        .barrier = &barrier, .missing_path = case_path("missing.so"), .system = system};
    err_thread_t b = {.barrier = &barrier, .system = system};
    pthread_t ta;
    pthread_t tb;
    cr_assert(pthread_create(&ta, NULL, thread_a, &a) == 0, "harness: pthread_create");
    cr_assert(pthread_create(&tb, NULL, thread_b, &b) == 0, "harness: pthread_create");
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&barrier);
    cr_assert(
        a.seen == MODULE_ERROR_FILE_NOT_FOUND,
        "thread A failed with FILE_NOT_FOUND, then thread B with INVALID_PARAMETER; A reads %s",
        error_name(a.seen));
    cr_assert(b.seen == MODULE_ERROR_INVALID_PARAMETER,
              "thread B reads %s, expected its own "
              "INVALID_PARAMETER",
              error_name(b.seen));
    expect_last_error(MODULE_SUCCESS, "the main thread after other threads failed");
    case_system_destroy(system);
}

static void ignore_error(module_error_t error, const char* message)
{
    (void)error;
    (void)message;
}

CONFORMANCE_CASE(
    core_err, CORE_ERR_004, "7.5",
    "get_last_error, get_error_string and set_error_callback do not change the last error")
{
    module_system_t* system = case_system_new(NULL, 0);
    CAND(module_load)(system, case_path("missing.so"));
    for (int i = 0; i < 3; i++) {
        expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "module_get_last_error read repeatedly");
    }
    CAND(module_get_error_string)(MODULE_SUCCESS);
    CAND(module_get_error_string)((module_error_t)77);
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "after module_get_error_string");
    CAND(module_set_error_callback)(ignore_error);
    CAND(module_set_error_callback)(NULL);
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "after module_set_error_callback");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_err, CORE_ERR_005, "7.2",
                 "module_get_error_string gives a non-NULL, non-empty string for each of the nine "
                 "documented values")
{
    for (int e = 0; e < DOCUMENTED_ERROR_COUNT; e++) {
        const char* text = CAND(module_get_error_string)((module_error_t)e);
        cr_assert(text != NULL && text[0] != '\0',
                  "module_get_error_string(%s) returned %s; "
                  "expected a non-empty string (SPEC 7.2)",
                  error_name((module_error_t)e), text ? "\"\"" : "NULL");
    }
}

/* broken.md: the case that catches NULL strings for undocumented values. */
CONFORMANCE_CASE(core_err, CORE_ERR_009, "7.6",
                 "error strings of undocumented values are non-NULL and non-empty; the nine "
                 "documented ones are distinct")
{
    const int undocumented[] = {99, -1};
    for (size_t i = 0; i < 2; i++) {
        const char* text = CAND(module_get_error_string)((module_error_t)undocumented[i]);
        cr_assert(text != NULL,
                  "module_get_error_string(%d) returned NULL; expected a non-empty "
                  "string such as \"unknown error\" (SPEC 7.6)",
                  undocumented[i]);
        cr_assert(text[0] != '\0',
                  "module_get_error_string(%d) returned \"\"; expected a "
                  "non-empty string (SPEC 7.6)",
                  undocumented[i]);
    }
    const char* texts[DOCUMENTED_ERROR_COUNT];
    for (int e = 0; e < DOCUMENTED_ERROR_COUNT; e++) {
        texts[e] = CAND(module_get_error_string)((module_error_t)e);
        cr_assert(texts[e] != NULL && texts[e][0] != '\0', "module_get_error_string(%s) is %s",
                  error_name((module_error_t)e), texts[e] ? "empty" : "NULL");
        for (int other = 0; other < e; other++) {
            cr_assert(strcmp(texts[e], texts[other]) != 0,
                      "%s and %s share the string \"%s\"; "
                      "expected distinct strings (SPEC 7.6)",
                      error_name((module_error_t)other), error_name((module_error_t)e), texts[e]);
        }
    }
}

static void* error_strings_of_thread(void* out)
{
    const char** strings = out;
    for (int e = 0; e < DOCUMENTED_ERROR_COUNT; e++) {
        strings[e] = conformance_candidate.module_get_error_string((module_error_t)e);
    }
    strings[DOCUMENTED_ERROR_COUNT] =
        conformance_candidate.module_get_error_string((module_error_t)1000);
    return NULL;
}

CONFORMANCE_CASE(core_err, CORE_ERR_006, "7.6",
                 "error strings are static: one pointer per value, on every thread; other values "
                 "give \"unknown error\"")
{
    conformance_require_all_functions();
    const int undocumented[] = {9, 99, 1000, -1, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof(undocumented) / sizeof(undocumented[0]); i++) {
        const char* text = CAND(module_get_error_string)((module_error_t)undocumented[i]);
        cr_assert(text != NULL && strcmp(text, "unknown error") == 0,
                  "module_get_error_string(%d) is \"%s\", expected \"unknown error\" (SPEC 7.6: "
                  "the reference's string for values outside module_error_t)",
                  undocumented[i], text ? text : "(NULL)");
    }
    const char* here[DOCUMENTED_ERROR_COUNT + 1];
    const char* there[DOCUMENTED_ERROR_COUNT + 1];
    error_strings_of_thread(here);
    pthread_t thread;
    cr_assert(pthread_create(&thread, NULL, error_strings_of_thread, there) == 0,
              "harness: pthread_create");
    pthread_join(thread, NULL);
    for (int e = 0; e <= DOCUMENTED_ERROR_COUNT; e++) {
        cr_assert(here[e] == there[e],
                  "the string of value %d is at %p on one thread and %p on "
                  "another",
                  e == DOCUMENTED_ERROR_COUNT ? 1000 : e, (const void*)here[e],
                  (const void*)there[e]);
        const char* again =
            CAND(module_get_error_string)((module_error_t)(e == DOCUMENTED_ERROR_COUNT ? 1000 : e));
        cr_assert(again == here[e], "the string of value %d moved between calls", e);
    }
}

CONFORMANCE_CASE(core_err, CORE_ERR_007, "7.4", "invalid-parameter messages name the argument")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    capture_take(NULL);
    module_info_t info;
    CAND(module_load)(NULL, "x.so");
    expect_message_contains(
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_load(NULL system)"), "system",
        "module_load(NULL system)");
    CAND(module_load)(system, NULL);
    expect_message_contains(
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_load(NULL path)"), "module_path",
        "module_load(NULL path)");
    CAND(module_get_symbol)(NULL, "example_function");
    expect_message_contains(
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol(NULL handle)"), "handle",
        "module_get_symbol(NULL handle)");
    CAND(module_get_symbol)(handle, NULL);
    expect_message_contains(
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol(NULL name)"),
        "symbol_name", "module_get_symbol(NULL name)");
    CAND(module_get_info)(NULL, &info);
    expect_message_contains(
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_info(NULL handle)"), "handle",
        "module_get_info(NULL handle)");
    CAND(module_unload)(NULL);
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_unload(NULL)"),
                            "handle", "module_unload(NULL)");
    case_system_destroy(system);
}
