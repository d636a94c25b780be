/*
 * exercise_threads.c — the multi-threaded phase (SPEC 1.1, 7.1): per-thread last errors; four
 * threads loading, looking up and unloading the same and different modules at once; lookups and
 * info queries racing the unload of their handle; loads racing the destroy of their system.
 * Run under TSan, it is the data-race check of the library's locking.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise_support.h"

#define THREADS 4

static int iterations(void)
{
    const char* text = getenv("COREMOD_EXERCISE_ITERATIONS");
    int count = text != NULL ? atoi(text) : 0;
    return count > 0 ? count : 100;
}

/* ---- SPEC 7.1: each thread sees its own last error --------------------------------------- */

static pthread_barrier_t error_barrier;

static void* fail_with_file_not_found(void* unused)
{
    (void)unused;
    bool fresh = module_get_last_error() == MODULE_SUCCESS;
    module_system_t* system = module_system_init(NULL);
    module_load(system, "/nonexistent/coremod/module.so");
    pthread_barrier_wait(&error_barrier); /* A has failed */
    pthread_barrier_wait(&error_barrier); /* B has failed differently */
    bool own = module_get_last_error() == MODULE_ERROR_FILE_NOT_FOUND;
    module_system_destroy(system);
    return (void*)(uintptr_t)(fresh && own);
}

static void* fail_with_invalid_parameter(void* unused)
{
    (void)unused;
    pthread_barrier_wait(&error_barrier);
    module_get_symbol(NULL, "x");
    bool own = module_get_last_error() == MODULE_ERROR_INVALID_PARAMETER;
    pthread_barrier_wait(&error_barrier);
    return (void*)(uintptr_t)own;
}

static void exercise_thread_errors(void)
{
    pthread_t a, b;
    void* a_ok = NULL;
    void* b_ok = NULL;
    pthread_barrier_init(&error_barrier, NULL, 2);
    pthread_create(&a, NULL, fail_with_file_not_found, NULL);
    pthread_create(&b, NULL, fail_with_invalid_parameter, NULL);
    pthread_join(a, &a_ok);
    pthread_join(b, &b_ok);
    pthread_barrier_destroy(&error_barrier);
    CHECK(a_ok != NULL, "thread A did not see its own FILE_NOT_FOUND (or a fresh SUCCESS)");
    CHECK(b_ok != NULL, "thread B did not see its own INVALID_PARAMETER");
}

/* ---- four threads loading, looking up and unloading at once ------------------------------- */

typedef struct {
    const char* module; /* this thread's own module */
    const char* symbol; /* a symbol it provides */
} thread_module_t;

static const thread_module_t own_modules[THREADS] = {
    {"lifecycle_counter", "lifecycle_ping"},
    {"graphics_renderer", "module_interface"},
    {"ai_engine", "module_interface"},
    {"compute_engine", "compute"},
};

typedef struct {
    module_system_t* shared;
    int index;
    int rounds;
} worker_t;

static void* load_lookup_unload(void* argument)
{
    worker_t* worker = argument;
    const thread_module_t* own = &own_modules[worker->index];
    for (int round = 0; round < worker->rounds; round++) {
        module_handle_t common = load_fixture(worker->shared, "example_module");
        module_handle_t mine = load_fixture(worker->shared, own->module);
        int (*function)(int) = (int (*)(int))module_get_symbol(common, "example_function");
        CHECK(function != NULL && function(round) == 2 * round, "example_function");
        CHECK(module_get_symbol(mine, own->symbol) != NULL, "%s in %s", own->symbol, own->module);
        CHECK(module_get_symbol(mine, "no_such_symbol") == NULL &&
                  module_get_last_error() == MODULE_ERROR_SYMBOL_NOT_FOUND,
              "missing symbol");
        module_info_t info;
        CHECK(module_get_info(common, &info) && info.reference_count >= 1, "info");
        CHECK(module_unload(mine), "unload %s", own->module);
        CHECK(module_unload(common), "unload example_module");
        if (round % 16 == 0) {
            /* A private system born and destroyed while the others work. */
            module_system_t* private_system = module_system_init(NULL);
            load_fixture(private_system, own->module);
            load_fixture(private_system, "plain_module");
            module_system_destroy(private_system);
            CHECK(module_get_last_error() == MODULE_SUCCESS, "private destroy");
        }
    }
    return NULL;
}

static void exercise_concurrent_loads(void)
{
    module_system_t* shared = module_system_init(NULL);
    pthread_t threads[THREADS];
    worker_t workers[THREADS];
    fixture_log_reset();
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker_t){shared, i, iterations()};
        pthread_create(&threads[i], NULL, load_lookup_unload, &workers[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
    /* Every load was matched by an unload: init and cleanup ran equally often. */
    int inits = fixture_log_count("init lifecycle_counter");
    CHECK(inits >= 1 && inits == fixture_log_count("cleanup lifecycle_counter"),
          "lifecycle_counter: %d inits, %d cleanups", inits,
          fixture_log_count("cleanup lifecycle_counter"));
    /* Nothing is left open: a fresh load is a first load again (reference count 1). */
    module_handle_t probe = load_fixture(shared, "example_module");
    module_info_t info;
    CHECK(module_get_info(probe, &info) && info.reference_count == 1,
          "reference counts corrupted: %u after all threads unloaded", info.reference_count);
    module_system_destroy(shared);
}

/* ---- lookups and info racing the unload of their handle ----------------------------------- */

typedef struct {
    module_system_t* system;
    _Atomic(uintptr_t) current; /* the handle being loaded and unloaded */
    atomic_bool done;
    int rounds;
} unload_race_t;

static void* reload_repeatedly(void* argument)
{
    unload_race_t* race = argument;
    for (int round = 0; round < race->rounds; round++) {
        module_handle_t handle = load_fixture(race->system, "symbol_rich");
        atomic_store(&race->current, (uintptr_t)handle);
        sched_yield();
        CHECK(module_unload(handle), "unload symbol_rich");
    }
    atomic_store(&race->done, true);
    return NULL;
}

static void* look_up_while_unloading(void* argument)
{
    unload_race_t* race = argument;
    unsigned counter = 0;
    while (!atomic_load(&race->done)) {
        module_handle_t handle = (module_handle_t)atomic_load(&race->current);
        if (handle == NULL) {
            sched_yield();
            continue;
        }
        char name[16];
        snprintf(name, sizeof(name), "sym_%03u", counter++ % 64);
        void* address = module_get_symbol(handle, name);
        module_error_t error = module_get_last_error();
        /* Either it worked, or the handle had just been unloaded: never anything else. */
        CHECK((address != NULL && error == MODULE_SUCCESS) ||
                  (address == NULL && error == MODULE_ERROR_INVALID_PARAMETER),
              "racing lookup: %p, %s", address, module_get_error_string(error));
        module_info_t info;
        bool ok = module_get_info(handle, &info);
        CHECK(ok || module_get_last_error() == MODULE_ERROR_INVALID_PARAMETER, "racing info");
        CHECK(!ok || strcmp(info.name, "symbol_rich") == 0, "racing info read another module");
    }
    return NULL;
}

static void exercise_unload_races(void)
{
    unload_race_t race = {.system = module_system_init(NULL), .rounds = iterations()};
    atomic_init(&race.current, 0);
    atomic_init(&race.done, false);
    pthread_t threads[THREADS];
    pthread_create(&threads[0], NULL, reload_repeatedly, &race);
    for (int i = 1; i < THREADS; i++) {
        pthread_create(&threads[i], NULL, look_up_while_unloading, &race);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
    module_system_destroy(race.system);
}

/* ---- loads and unloads racing the destroy of their system --------------------------------- */

typedef struct {
    module_system_t* system;
    atomic_int rounds; /* loads that succeeded, all threads together */
} destroy_race_t;

static void* load_until_destroyed(void* argument)
{
    destroy_race_t* race = argument;
    char path[COREMOD_PATH_MAX];
    fixture_path(path, "modules", "lifecycle_counter");
    for (int round = 0; round < 100000; round++) {
        module_handle_t handle = module_load(race->system, path);
        if (handle == NULL) {
            CHECK(module_get_last_error() == MODULE_ERROR_INVALID_PARAMETER,
                  "load into a system being destroyed: %s",
                  module_get_error_string(module_get_last_error()));
            return NULL; /* destroyed */
        }
        atomic_fetch_add(&race->rounds, 1);
        if (!module_unload(handle)) {
            CHECK(module_get_last_error() == MODULE_ERROR_INVALID_PARAMETER, "racing unload");
        }
    }
    CHECK(false, "the system was never seen destroyed");
    return NULL;
}

static void exercise_destroy_races(void)
{
    destroy_race_t race = {.system = module_system_init(NULL)};
    atomic_init(&race.rounds, 0);
    pthread_t threads[THREADS - 1];
    fixture_log_reset();
    for (int i = 0; i < THREADS - 1; i++) {
        pthread_create(&threads[i], NULL, load_until_destroyed, &race);
    }
    /* Destroy once loads are under way (a fixed count keeps the run short under valgrind). */
    while (atomic_load(&race.rounds) < 2 * (THREADS - 1)) {
        sched_yield();
    }
    module_system_destroy(race.system);
    CHECK(module_get_last_error() == MODULE_SUCCESS, "destroy during loads failed");
    for (int i = 0; i < THREADS - 1; i++) {
        pthread_join(threads[i], NULL);
    }
    CHECK(fixture_log_count("init lifecycle_counter") ==
              fixture_log_count("cleanup lifecycle_counter"),
          "a module outlived its system");
}

void exercise_threads(void)
{
    exercise_thread_errors();
    /* The recorder stays installed: the callback is called from several threads at once. */
    exercise_concurrent_loads();
    exercise_unload_races();
    exercise_destroy_races();
    recorder_reset();
}
