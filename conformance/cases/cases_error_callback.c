/*
 * cases_error_callback.c — the error callback (SPEC 7.3 document; 7.7 coremod).
 */
#include <stdatomic.h>

#include "conformance.h"

CONFORMANCE_CASE(core_callback, CORE_CB_001, "7.3",
                 "a failing call passes its error code and a message to the callback")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    capture_take(NULL);
    cr_assert(CAND(module_load)(system, case_path("missing_module.so")) == NULL,
              "module_load of a missing file returned a handle");
    expect_failed(MODULE_ERROR_FILE_NOT_FOUND, "module_load of a missing file");
    CAND(module_unload)(NULL);
    expect_failed(MODULE_ERROR_INVALID_PARAMETER, "module_unload(NULL)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_callback, CORE_CB_004, "7.7",
                 "the callback receives a message naming the path, once per failing call, "
                 "synchronously on the failing thread")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* missing = case_path("missing_module.so");
    for (int i = 0; i < 3; i++) {
        size_t before = capture_thread_total();
        cr_assert(CAND(module_load)(system, missing) == NULL, "a missing file loaded");
        /* Synchronous: counted on this thread before module_load returned. */
        cr_assert(capture_thread_total() == before + 1,
                  "the callback was not called synchronously on the failing thread");
        const char* message = expect_failure(MODULE_ERROR_FILE_NOT_FOUND, "missing file");
        expect_message_names_path(message, missing, "missing file");
    }
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    case_symbol(handle, "example_function");
    case_info(handle);
    case_unload(handle);
    expect_success("successful calls");
    case_system_destroy(system);
    cr_assert(capture_total() == 3, "the callback was called %zu times for 3 failing calls",
              capture_total());
}

static atomic_int first_calls;
static atomic_int second_calls;

static void first_callback(module_error_t error, const char* message)
{
    (void)error;
    (void)message;
    atomic_fetch_add(&first_calls, 1);
}

static void second_callback(module_error_t error, const char* message)
{
    (void)error;
    (void)message;
    atomic_fetch_add(&second_calls, 1);
}

CONFORMANCE_CASE(core_callback, CORE_CB_002, "7.3", "setting a callback replaces the previous one")
{
    CAND(module_set_error_callback)(first_callback);
    CAND(module_unload)(NULL);
    int first_after_one = atomic_load(&first_calls);
    cr_assert(first_after_one >= 1, "the installed callback was not called for a failing "
                                    "module_unload(NULL) (SPEC 7.3)");
    CAND(module_set_error_callback)(second_callback);
    CAND(module_unload)(NULL);
    cr_assert(atomic_load(&first_calls) == first_after_one,
              "after module_set_error_callback "
              "installed another callback, the replaced one was still called (SPEC 7.3)");
    cr_assert(atomic_load(&second_calls) >= 1, "the new callback was not called for a failing "
                                               "module_unload(NULL) (SPEC 7.3)");
    CAND(module_set_error_callback)(NULL);
}

CONFORMANCE_CASE(core_callback, CORE_CB_005, "7.7",
                 "the callback is called exactly once per failing call; NULL removes it")
{
    CAND(module_set_error_callback)(first_callback);
    CAND(module_unload)(NULL);
    cr_assert(atomic_load(&first_calls) == 1,
              "the installed callback was called %d times for one "
              "failure, expected once (SPEC 7.7)",
              atomic_load(&first_calls));
    CAND(module_set_error_callback)(second_callback);
    CAND(module_unload)(NULL);
    cr_assert(atomic_load(&first_calls) == 1, "the replaced callback was still called");
    cr_assert(atomic_load(&second_calls) == 1,
              "the new callback was called %d times for one "
              "failure, expected once (SPEC 7.7)",
              atomic_load(&second_calls));
    CAND(module_set_error_callback)(NULL);
    CAND(module_unload)(NULL);
    CAND(module_get_info)(NULL, NULL);
    cr_assert(atomic_load(&first_calls) == 1 && atomic_load(&second_calls) == 1,
              "a callback was called after module_set_error_callback(NULL) (SPEC 7.7: NULL "
              "removes it)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "failing call without a callback");
}

enum { CALLBACK_THREADS = 4, CALLBACK_ROUNDS = 200 };

static _Thread_local int calls_on_this_thread;
static atomic_int bad_messages;
static atomic_int total_calls;

static void counting_callback(module_error_t error, const char* message)
{
    (void)error;
    calls_on_this_thread++;
    atomic_fetch_add(&total_calls, 1);
    if (message == NULL || message[0] == '\0') {
        atomic_fetch_add(&bad_messages, 1);
    }
}

typedef struct {
    module_system_t* system;
    module_handle_t handle;
    const char* missing;
    pthread_barrier_t* start;
    int failures;     /* failing calls made */
    int calls_seen;   /* callback calls counted on this thread */
    int wrong_errors; /* last error not the expected one */
} callback_worker_t;

static void* fail_repeatedly(void* argument)
{
    callback_worker_t* worker = argument;
    const candidate_api_t* api = &conformance_candidate;
    pthread_barrier_wait(worker->start);
    for (int round = 0; round < CALLBACK_ROUNDS; round++) {
        api->module_load(worker->system, worker->missing);
        worker->wrong_errors += api->module_get_last_error() != MODULE_ERROR_FILE_NOT_FOUND;
        api->module_get_symbol(worker->handle, "no_such_symbol");
        worker->wrong_errors += api->module_get_last_error() != MODULE_ERROR_SYMBOL_NOT_FOUND;
        api->module_unload(NULL);
        worker->wrong_errors += api->module_get_last_error() != MODULE_ERROR_INVALID_PARAMETER;
        worker->failures += 3;
    }
    worker->calls_seen = calls_on_this_thread;
    return NULL;
}

CONFORMANCE_CASE(core_callback, CORE_CB_003, "7.7",
                 "the callback is called once per failing call from several threads at once")
{
    conformance_require_all_functions();
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    CAND(module_set_error_callback)(counting_callback);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, CALLBACK_THREADS);
    callback_worker_t workers[CALLBACK_THREADS];
    pthread_t threads[CALLBACK_THREADS];
    for (int t = 0; t < CALLBACK_THREADS; t++) {
        workers[t] = (callback_worker_t){.system = system,
                                         .handle = handle,
                                         .start = &start,
                                         .missing = case_path(case_strf("missing_%d.so", t))};
        cr_assert(pthread_create(&threads[t], NULL, fail_repeatedly, &workers[t]) == 0,
                  "harness: pthread_create");
    }
    int expected_total = 0;
    for (int t = 0; t < CALLBACK_THREADS; t++) {
        pthread_join(threads[t], NULL);
        expected_total += workers[t].failures;
    }
    pthread_barrier_destroy(&start);
    CAND(module_set_error_callback)(NULL);
    for (int t = 0; t < CALLBACK_THREADS; t++) {
        cr_assert(workers[t].wrong_errors == 0, "thread %d saw %d wrong last errors", t,
                  workers[t].wrong_errors);
        cr_assert(workers[t].calls_seen == workers[t].failures,
                  "thread %d made %d failing calls; "
                  "the callback ran %d times on it",
                  t, workers[t].failures, workers[t].calls_seen);
    }
    cr_assert(atomic_load(&total_calls) == expected_total, "%d callback calls for %d failing calls",
              atomic_load(&total_calls), expected_total);
    cr_assert(atomic_load(&bad_messages) == 0, "%d callback calls had a NULL or empty message",
              atomic_load(&bad_messages));
    case_system_destroy(system);
}
