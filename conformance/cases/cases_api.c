/*
 * cases_api.c — the API as a whole: every function exported, the document's Quick Start, and the
 * module-side definitions (SPEC 1.6, 2.1, 9.1 document; 3.6, 9.2 coremod).
 */
#include <unistd.h>

#include "conformance.h"

CONFORMANCE_CASE(core_api, CORE_API_001, "1.6",
                 "the candidate exports every function of module_interface.h")
{
    char missing[1024];
    size_t count = candidate_missing_functions(&conformance_candidate, missing, sizeof(missing));
    cr_assert(count == 0, "the candidate %s does not export %zu function(s): %s",
              conformance_candidate.path, count, missing);
}

CONFORMANCE_CASE(core_api, CORE_API_002, "2.1",
                 "the document's Quick Start runs: default system, bare name in ./modules, "
                 "example_function(42) == 84")
{
    case_mkdir("modules");
    case_copy(fixture_module("example_module"), "modules/example_module.so");
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());

    module_system_t* system = CAND(module_system_init)(NULL);
    cr_assert(system != NULL, "module_system_init(NULL) returned NULL: %s",
              error_name(CAND(module_get_last_error)()));
    case_system_track(system);

    module_handle_t handle = CAND(module_load)(system, "example_module.so");
    cr_assert(handle != NULL,
              "module_load(\"example_module.so\") with the default search path "
              "\"./modules\" failed: %s",
              error_name(CAND(module_get_last_error)()));

    void* symbol = CAND(module_get_symbol)(handle, "example_function");
    cr_assert(symbol != NULL, "module_get_symbol(\"example_function\") failed: %s",
              error_name(CAND(module_get_last_error)()));
    int (*example_function)(int);
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(42) == 84, "example_function(42) returned %d, expected 84",
              example_function(42));

    cr_assert(CAND(module_unload)(handle), "module_unload failed: %s",
              error_name(CAND(module_get_last_error)()));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_api, CORE_API_003, "9.1",
                 "a module's exported module_interface is found and its process() works")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t renderer = case_load(system, fixture_module("graphics_renderer"));

    const module_interface_t* interface = case_symbol(renderer, "module_interface");
    cr_assert(interface->process != NULL, "graphics_renderer's module_interface.process is NULL");
    uint32_t frame[2] = {640, 480};
    uint32_t pixels = 0;
    cr_assert(interface->process(frame, &pixels) == 0 && pixels == 640u * 480u,
              "graphics_renderer process({640, 480}) gave %u, expected %u", pixels, 640u * 480u);

    module_handle_t engine = case_load(system, fixture_module("ai_engine"));
    const module_interface_t* engine_interface = case_symbol(engine, "module_interface");
    float features[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    float score = 0.0f;
    cr_assert(engine_interface->process(features, &score) == 0 && score == 10.0f,
              "ai_engine process({1, 1, 1, 1}) gave %f, expected 10", (double)score);
    cr_assert(engine_interface != interface,
              "two modules' module_interface symbols resolved to one address");

    case_unload(renderer);
    case_unload(engine);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_api, CORE_API_005, "3.6",
                 "the candidate calls a module_interface's init once at load and its cleanup once "
                 "at the final unload")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t renderer = case_load(system, fixture_module("graphics_renderer"));
    cr_assert(fixture_log_count("init graphics_renderer") == 1,
              "graphics_renderer's module_interface.init ran %zu times at load, expected once "
              "(SPEC 3.6)",
              fixture_log_count("init graphics_renderer"));
    case_unload(renderer);
    cr_assert(fixture_log_count("cleanup graphics_renderer") == 1,
              "graphics_renderer's module_interface.cleanup ran %zu times at the final unload, "
              "expected once (SPEC 3.6); log:\n%s",
              fixture_log_count("cleanup graphics_renderer"), fixture_log_read());
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_api, CORE_API_004, "9.2",
                 "a descriptor defined with COREMOD_MODULE_DESCRIPTOR is exported and is what "
                 "module_get_info reports")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    const coremod_module_descriptor_t* descriptor = case_symbol(handle, COREMOD_DESCRIPTOR_SYMBOL);
    cr_assert(descriptor->abi_version == COREMOD_DESCRIPTOR_ABI_VERSION,
              "descriptor abi_version %u, expected %u", descriptor->abi_version,
              COREMOD_DESCRIPTOR_ABI_VERSION);
    module_info_t info = case_info(handle);
    cr_assert(strcmp(info.name, descriptor->name) == 0 && strcmp(info.name, "example_module") == 0,
              "info.name \"%s\", descriptor name \"%s\", expected \"example_module\"", info.name,
              descriptor->name);
    cr_assert(strcmp(info.version, "1.0.0") == 0, "info.version \"%s\", expected \"1.0.0\"",
              info.version);
    cr_assert(strcmp(info.description, "Quick Start example module") == 0,
              "info.description \"%s\", expected \"Quick Start example module\"", info.description);
    cr_assert(!info.is_critical, "info.is_critical is true; the descriptor says false");
    case_system_destroy(system);
}
