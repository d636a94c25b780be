/*
 * cases_symbols.c — module_get_symbol: what it finds, what it does not, bad names
 * (SPEC 5.1, 5.2, 5.4 document; 5.5, 5.6, 5.8, 7.5 coremod).
 */
#include <dlfcn.h>

#include "conformance.h"

CONFORMANCE_CASE(core_sym, CORE_SYM_001, "5.1", "a function symbol is found and callable")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    void* symbol = CAND(module_get_symbol)(handle, "example_function");
    cr_assert(symbol != NULL,
              "module_get_symbol(\"example_function\"), a function example_module "
              "defines, returned NULL with %s (SPEC 5.1)",
              error_name(CAND(module_get_last_error)()));
    int (*example_function)(int);
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(-8) == -16, "example_function(-8) returned %d, expected -16",
              example_function(-8));
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_sym, CORE_SYM_012, "7.5",
    "a successful lookup after a failing one resets the last error and calls no callback")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    CAND(module_get_symbol)(handle, "no_such_symbol"); /* leaves a last error to be reset */
    capture_take(NULL);
    void* symbol = CAND(module_get_symbol)(handle, "example_function");
    cr_assert(symbol != NULL, "example_function not found: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_get_symbol(\"example_function\") after a failing lookup");
    case_system_destroy(system);
}

/* broken.md: the case that catches a wrong error code for a missing symbol. */
CONFORMANCE_CASE(core_sym, CORE_SYM_002, "5.2",
                 "a missing symbol returns NULL with SYMBOL_NOT_FOUND")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    void* symbol = CAND(module_get_symbol)(handle, "coremod_no_such_symbol");
    cr_assert(symbol == NULL, "a missing symbol resolved to %p", symbol);
    expect_last_error(MODULE_ERROR_SYMBOL_NOT_FOUND, "lookup of a missing symbol");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_sym, CORE_SYM_003, "5.1",
                 "all 64 functions and the data symbol of symbol_rich resolve to the right objects")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("symbol_rich"));
    for (int i = 0; i < 64; i++) {
        const char* name = case_strf("sym_%03d", i);
        void* symbol = case_symbol(handle, name);
        int (*function)(void);
        memcpy(&function, &symbol, sizeof(function));
        cr_assert(function() == i, "%s() returned %d", name, function());
    }
    const int* data = case_symbol(handle, "rich_data");
    cr_assert(*data == 1234, "rich_data holds %d, expected 1234", *data);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_sym, CORE_SYM_004, "5.5",
                 "a symbol of the module's dependency (cos from libm) is found")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("symbol_rich"));
    void* symbol = case_symbol(handle, "cos");
    void* libm = dlopen("libm.so.6", RTLD_NOW | RTLD_NOLOAD);
    if (libm == NULL) {
        /* Not the harness's fault, nor a wrong answer: a candidate may load modules where this
         * process's loader cannot see them. Then there is nothing to compare cos with. */
        conformance_not_supported("the candidate loaded symbol_rich without libm.so.6 being mapped "
                                  "in this process, so cos cannot be compared with the loader's");
    }
    void* expected = dlsym(libm, "cos");
    dlclose(libm);
    cr_assert(symbol == expected, "cos resolved to %p; the loader gives %p", symbol, expected);
    double (*cosine)(double);
    memcpy(&cosine, &symbol, sizeof(cosine));
    cr_assert(cosine(0.0) == 1.0, "cos(0) returned %f", cosine(0.0));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_sym, CORE_SYM_005, "5.5",
                 "a symbol of another loaded module is not found through a module's handle")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t plain = case_load(system, fixture_module("plain_module"));
    module_handle_t example = case_load(system, fixture_module("example_module"));
    case_symbol(plain, "plain_value");
    cr_assert(CAND(module_get_symbol)(example, "plain_value") == NULL,
              "plain_module's plain_value was found through example_module's handle (SPEC 5.5: "
              "the module and its dependencies only, as dlsym on its handle)");
    expect_last_error(MODULE_ERROR_SYMBOL_NOT_FOUND, "another module's symbol");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_sym, CORE_SYM_006, "5.2",
                 "a missing symbol returns NULL with SYMBOL_NOT_FOUND, also when looked up again")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    for (int i = 0; i < 2; i++) {
        void* symbol = CAND(module_get_symbol)(handle, "coremod_absent_symbol_xyz");
        cr_assert(symbol == NULL,
                  "lookup %d of a name example_module does not define returned "
                  "%p; expected NULL (SPEC 5.2)",
                  i + 1, symbol);
        expect_last_error(MODULE_ERROR_SYMBOL_NOT_FOUND,
                          case_strf("lookup %d of a missing symbol", i + 1));
    }
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_sym, CORE_SYM_013, "5.6",
                 "the message of a missing symbol names the symbol and the module")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    module_handle_t handle = case_load(system, path);
    capture_take(NULL);
    cr_assert(CAND(module_get_symbol)(handle, "coremod_absent_symbol_xyz") == NULL,
              "a missing symbol was found");
    const char* message = expect_failure(MODULE_ERROR_SYMBOL_NOT_FOUND, "missing symbol");
    expect_message_contains(message, "coremod_absent_symbol_xyz", "missing symbol");
    cr_assert(strstr(message, "example_module") != NULL,
              "the message \"%s\" does not name the module (example_module or its path) (SPEC 5.6)",
              message);
    cr_assert(CAND(module_get_symbol)(handle, "coremod_absent_symbol_xyz") == NULL,
              "a repeated lookup of a missing symbol found it");
    expect_failure(MODULE_ERROR_SYMBOL_NOT_FOUND, "repeated lookup of a missing symbol");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_sym, CORE_SYM_007, "5.4", "a NULL symbol name fails with INVALID_PARAMETER")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    cr_assert(CAND(module_get_symbol)(handle, NULL) == NULL,
              "module_get_symbol(handle, NULL) "
              "returned a pointer; expected NULL with INVALID_PARAMETER (SPEC 5.4)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol(handle, NULL)");
    cr_assert(case_refcount(handle) == 1, "the failing lookup changed the module's count to %u",
              case_refcount(handle));
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_sym, CORE_SYM_014, "5.8",
    "empty and over-long symbol names fail with INVALID_PARAMETER; 1023 bytes is accepted")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    capture_take(NULL);
    cr_assert(CAND(module_get_symbol)(handle, NULL) == NULL, "a NULL symbol name was accepted");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "NULL symbol_name"),
                            "symbol_name", "NULL symbol_name");
    cr_assert(CAND(module_get_symbol)(handle, "") == NULL, "an empty symbol name was accepted; "
                                                           "expected INVALID_PARAMETER (SPEC 5.8)");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "empty symbol_name");
    /* 1024 bytes and no terminator before an inaccessible page (SPEC 1.4: decided without reading
     * past the limit + 1). */
    cr_assert(CAND(module_get_symbol)(handle, guard_unterminated(COREMOD_SYMBOL_MAX, 's')) == NULL,
              "a 1024-byte symbol name was accepted; expected INVALID_PARAMETER (SPEC 1.4, 5.8)");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "1024-byte symbol_name");
    char longest[COREMOD_SYMBOL_MAX];
    memset(longest, 's', sizeof(longest) - 1);
    longest[sizeof(longest) - 1] = '\0';
    cr_assert(CAND(module_get_symbol)(handle, guard_terminated(longest)) == NULL,
              "a 1023-byte name of no symbol was found");
    expect_failure(MODULE_ERROR_SYMBOL_NOT_FOUND, "1023-byte symbol_name (within the limit)");
    cr_assert(case_refcount(handle) == 1, "bad lookups changed the module");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_sym, CORE_SYM_008, "5.1",
                 "module_get_symbol returns the address the platform loader gives")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("symbol_rich");
    module_handle_t handle = case_load(system, path);
    const char* names[] = {"sym_000", "sym_063", "rich_data", "rich_cos",
                           COREMOD_DESCRIPTOR_SYMBOL};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        void* candidate = case_symbol(handle, names[i]);
        void* loader = raw_symbol_of_mapped(path, names[i]);
        cr_assert(candidate == loader, "%s: the candidate gives %p, dlsym gives %p", names[i],
                  candidate, loader);
    }
    case_system_destroy(system);
}
