/*
 * cases_unload.c — module_unload on valid and invalid handles (SPEC 4.1, 4.2 document; 4.3, 4.4,
 * 3.6, 7.4 coremod).
 */
#include "conformance.h"

/* Calls example_function(21) through `handle`; fails the case unless it returns 42. */
static void expect_example_works(module_handle_t handle, const char* when)
{
    void* symbol = CAND(module_get_symbol)(handle, "example_function");
    cr_assert(symbol != NULL,
              "%s, module_get_symbol(\"example_function\") of a loaded module "
              "failed with %s",
              when, error_name(CAND(module_get_last_error)()));
    int (*example_function)(int);
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(21) == 42, "%s, example_function(21) returned %d, expected 42", when,
              example_function(21));
}

CONFORMANCE_CASE(
    core_unload, CORE_UNLOAD_001, "4.3",
    "module_unload of a valid handle returns true, lowers the count and resets the last error")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    module_handle_t handle = case_load(system, path);
    case_load(system, path);
    CAND(module_unload)(NULL); /* leaves a last error to be reset */
    capture_take(NULL);
    cr_assert(CAND(module_unload)(handle), "module_unload of a module with 2 references failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_unload after a failing call");
    cr_assert(case_refcount(handle) == 1, "reference count %u after one unload of two, expected 1",
              case_refcount(handle));
    cr_assert(CAND(module_unload)(handle), "the final module_unload failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("the final module_unload");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_002, "4.2",
                 "module_unload(NULL) returns false and fails with INVALID_PARAMETER")
{
    cr_assert(!CAND(module_unload)(NULL), "module_unload(NULL) returned true; expected false "
                                          "(SPEC 4.2)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_unload(NULL)");
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_005, "7.4",
                 "the message of module_unload(NULL) names the handle")
{
    capture_start();
    cr_assert(!CAND(module_unload)(NULL), "module_unload(NULL) returned true");
    const char* message = expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_unload(NULL)");
    expect_message_contains(message, "handle", "module_unload(NULL)");
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_003, "4.2",
                 "module_unload(NULL) changes nothing: a loaded module stays loaded and usable")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t kept = case_load(system, fixture_module("example_module"));
    for (int round = 0; round < 3; round++) {
        cr_assert(!CAND(module_unload)(NULL), "module_unload(NULL) returned true (SPEC 4.2)");
        expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_unload(NULL)");
    }
    cr_assert(case_refcount(kept) == 1,
              "after three module_unload(NULL) calls a module loaded "
              "once has reference count %u, expected 1 (SPEC 4.2: nothing changes)",
              case_refcount(kept));
    expect_example_works(kept, "after three module_unload(NULL) calls");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_006, "4.4",
                 "unloads of stale, random, stack and heap values fail and change nothing")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* kept_path = fixture_module("lifecycle_counter");
    module_handle_t kept = case_load(system, kept_path);
    module_handle_t stale = case_load(system, fixture_module("example_module"));
    case_unload(stale);
    int local = 0;
    /* Values the candidate never handed out as handles (a value derived from a valid handle
     * could be one it did hand out, e.g. as a system, so none is used). */
    void* garbage = case_alloc(256);
    memset(garbage, 0xA5, 256);
    const struct {
        module_handle_t handle;
        const char* what;
    } bad[] = {
        {stale, "a handle unloaded to zero"},
        {(module_handle_t)(uintptr_t)0xdeadbeef000, "0xdeadbeef000"},
        {(module_handle_t)&local, "the address of a local variable"},
        {(module_handle_t)garbage, "heap memory filled with 0xA5"},
    };
    for (size_t round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            case_step("module_unload(%s), round %zu", bad[i].what, round + 1);
            cr_assert(!CAND(module_unload)(bad[i].handle),
                      "module_unload(%s) returned true; "
                      "expected false (SPEC 4.4)",
                      bad[i].what);
            expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                              case_strf("module_unload(%s)", bad[i].what));
        }
    }
    cr_assert(case_refcount(kept) == 1,
              "failing unloads changed a loaded module's count to %u, "
              "expected 1 (SPEC 4.4: nothing changes)",
              case_refcount(kept));
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 0 && raw_is_mapped(kept_path),
              "failing unloads closed a loaded module (its cleanup ran or it is no longer mapped)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_004, "4.1",
                 "unloading one of two modules returns true and leaves the other loaded and usable")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t example = case_load(system, fixture_module("example_module"));
    module_handle_t plain = case_load(system, fixture_module("plain_module"));
    bool unloaded = CAND(module_unload)(plain);
    cr_assert(unloaded,
              "module_unload of plain_module, loaded once, returned false with last "
              "error %s; expected true (SPEC 4.1)",
              error_name(CAND(module_get_last_error)()));
    uint32_t count = case_refcount(example);
    cr_assert(count == 1,
              "after unloading plain_module, example_module (loaded once) has "
              "reference count %u; expected 1 (SPEC 4.1, 6.1)",
              count);
    expect_example_works(example, "after unloading the other module");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_007, "3.6",
                 "closing one module runs only its own cleanup; destroy runs the others' once")
{
    module_system_t* system = case_system_new(NULL, 0);
    case_load(system, fixture_module("lifecycle_counter"));
    module_handle_t renderer = case_load(system, fixture_module("graphics_renderer"));
    case_unload(renderer);
    size_t renderer_cleanups = fixture_log_count("cleanup graphics_renderer");
    size_t counter_cleanups = fixture_log_count("cleanup lifecycle_counter");
    cr_assert(renderer_cleanups == 1 && counter_cleanups == 0,
              "unloading graphics_renderer (loaded once) ran its cleanup %zu times and "
              "lifecycle_counter's (still loaded) %zu times; expected 1 and 0 (SPEC 3.6); "
              "fixture log:\n%s",
              renderer_cleanups, counter_cleanups, fixture_log_read());
    case_system_destroy(system);
    renderer_cleanups = fixture_log_count("cleanup graphics_renderer");
    counter_cleanups = fixture_log_count("cleanup lifecycle_counter");
    cr_assert(counter_cleanups == 1 && renderer_cleanups == 1,
              "module_system_destroy with lifecycle_counter still loaded left cleanup counts of "
              "%zu (lifecycle_counter) and %zu (graphics_renderer, closed before); expected 1 and "
              "1: destroy runs each loaded module's cleanup once and no closed module's (SPEC "
              "2.8, 3.6); fixture log:\n%s",
              counter_cleanups, renderer_cleanups, fixture_log_read());
}
