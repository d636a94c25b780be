/*
 * cases_concurrency.c — every function from many threads at once (SPEC 1.1).
 *
 * Worker threads cannot use Criterion assertions (they end a test with a longjmp on the main
 * thread's stack), so they count failures and keep the first one's description; the main thread
 * asserts after joining them. A deadlock shows up as the case's timeout.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

#include "conformance.h"

enum { WORKERS = 4 };

typedef struct {
    pthread_mutex_t lock;
    atomic_int count;
    char first[512];
} failures_t;

static failures_t failures = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void note_failure(const char* format, ...) __attribute__((format(printf, 1, 2)));

static void note_failure(const char* format, ...)
{
    if (atomic_fetch_add(&failures.count, 1) == 0) {
        va_list args;
        va_start(args, format);
        pthread_mutex_lock(&failures.lock);
        vsnprintf(failures.first, sizeof(failures.first), format, args);
        pthread_mutex_unlock(&failures.lock);
        va_end(args);
    }
}

static void assert_no_failures(const char* what)
{
    pthread_mutex_lock(&failures.lock);
    cr_assert(atomic_load(&failures.count) == 0, "%s: %d failing calls; first: %s", what,
              atomic_load(&failures.count), failures.first);
    pthread_mutex_unlock(&failures.lock);
}

static void start_workers(pthread_t* threads, void* (*body)(void*), void* arguments, size_t size)
{
    for (int t = 0; t < WORKERS; t++) {
        cr_assert(pthread_create(&threads[t], NULL, body, (char*)arguments + (size_t)t * size) == 0,
                  "harness: pthread_create");
    }
}

static void join_workers(pthread_t* threads)
{
    for (int t = 0; t < WORKERS; t++) {
        pthread_join(threads[t], NULL);
    }
}

/* ---- CORE-CONC-001 ------------------------------------------------------------------------ */

typedef struct {
    const char* path;
    const char* symbol;
    int expected; /* what the symbol, an int(void) or int(int) function, returns */
    bool takes_int;
} shared_module_t;

enum { SHARED_MODULES = 4, CHURN_ROUNDS = 300, HANDLES_KEPT = 256 };

typedef struct {
    module_system_t* system;
    const shared_module_t* modules;
    pthread_barrier_t* start;
    int offset;
    module_handle_t handles[HANDLES_KEPT];
    size_t handle_count;
} churn_worker_t;

static void remember_handle(churn_worker_t* worker, module_handle_t handle)
{
    for (size_t i = 0; i < worker->handle_count; i++) {
        if (worker->handles[i] == handle) {
            return;
        }
    }
    if (worker->handle_count < HANDLES_KEPT) {
        worker->handles[worker->handle_count++] = handle;
    }
}

static void* churn(void* argument)
{
    churn_worker_t* worker = argument;
    const candidate_api_t* api = &conformance_candidate;
    pthread_barrier_wait(worker->start);
    for (int round = 0; round < CHURN_ROUNDS; round++) {
        const shared_module_t* module = &worker->modules[(round + worker->offset) % SHARED_MODULES];
        module_handle_t handle = api->module_load(worker->system, module->path);
        if (handle == NULL) {
            note_failure("module_load(%s) failed with error %d", module->path,
                         (int)api->module_get_last_error());
            continue;
        }
        remember_handle(worker, handle);
        void* symbol = api->module_get_symbol(handle, module->symbol);
        if (symbol == NULL) {
            note_failure("module_get_symbol(%s) failed with error %d", module->symbol,
                         (int)api->module_get_last_error());
        } else if (module->takes_int) {
            int (*function)(int);
            memcpy(&function, &symbol, sizeof(function));
            if (function(21) != module->expected) {
                note_failure("%s returned %d", module->symbol, function(21));
            }
        } else {
            int (*function)(void);
            memcpy(&function, &symbol, sizeof(function));
            if (function() != module->expected) {
                note_failure("%s returned %d", module->symbol, function());
            }
        }
        module_info_t info;
        if (!api->module_get_info(handle, &info)) {
            note_failure("module_get_info of %s failed with error %d", module->path,
                         (int)api->module_get_last_error());
        } else if (info.reference_count < 1 || info.reference_count > WORKERS) {
            note_failure("%s: reference count %u while 1-4 threads hold it", module->path,
                         info.reference_count);
        }
        if (!api->module_unload(handle)) {
            note_failure("module_unload of %s failed with error %d", module->path,
                         (int)api->module_get_last_error());
        }
    }
    return NULL;
}

/* broken.md: the case that catches a lock-order deadlock between load and unload. */
CONFORMANCE_CASE_TIMEOUT(core_conc, CORE_CONC_001, "1.1",
                         "4 threads loading, looking up and unloading a shared set of modules at "
                         "once all succeed and leave nothing loaded",
                         15.0)
{
    conformance_require_all_functions();
    const shared_module_t modules[SHARED_MODULES] = {
        {fixture_module("example_module"), "example_function", 42, true},
        {fixture_module("plain_module"), "plain_value", 7, false},
        {fixture_module("symbol_rich"), "sym_017", 17, false},
        {fixture_module("lifecycle_counter"), "lifecycle_ping", 42, false},
    };
    module_system_t* system = case_system_new(NULL, 0);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, WORKERS);
    churn_worker_t* workers = case_alloc(sizeof(churn_worker_t) * WORKERS);
    for (int t = 0; t < WORKERS; t++) {
        workers[t] =
            (churn_worker_t){.system = system, .modules = modules, .start = &start, .offset = t};
    }
    pthread_t threads[WORKERS];
    start_workers(threads, churn, workers, sizeof(churn_worker_t));
    join_workers(threads);
    pthread_barrier_destroy(&start);
    assert_no_failures("concurrent load/lookup/unload");
    for (int t = 0; t < WORKERS; t++) {
        for (size_t i = 0; i < workers[t].handle_count; i++) {
            module_info_t info;
            cr_assert(
                !CAND(module_get_info)(workers[t].handles[i], &info),
                "handle %p is still valid (count %u) after every load was matched by an unload",
                (void*)workers[t].handles[i], info.reference_count);
        }
    }
    cr_assert(fixture_log_count("init lifecycle_counter") ==
                  fixture_log_count("cleanup lifecycle_counter"),
              "lifecycle_counter: %zu inits but %zu cleanups",
              fixture_log_count("init lifecycle_counter"),
              fixture_log_count("cleanup lifecycle_counter"));
    case_system_destroy(system);
}

/* ---- CORE-CONC-002 ------------------------------------------------------------------------ */

enum { HOLD_LOADS = 100 };

typedef struct {
    module_system_t* system;
    const char* path;
    module_handle_t handle; /* the handle every load must return (set by the main thread) */
    pthread_barrier_t* start;
    bool unload;
} hold_worker_t;

static void* hold_or_release(void* argument)
{
    hold_worker_t* worker = argument;
    const candidate_api_t* api = &conformance_candidate;
    pthread_barrier_wait(worker->start);
    for (int i = 0; i < HOLD_LOADS; i++) {
        if (worker->unload) {
            if (!api->module_unload(worker->handle)) {
                note_failure("module_unload of %s failed with error %d", worker->path,
                             (int)api->module_get_last_error());
            }
        } else {
            module_handle_t handle = api->module_load(worker->system, worker->path);
            if (handle != worker->handle) {
                note_failure("a concurrent load of %s returned another handle (error %d)",
                             worker->path, (int)api->module_get_last_error());
            }
        }
    }
    return NULL;
}

CONFORMANCE_CASE(
    core_conc, CORE_CONC_002, "1.1",
    "concurrent loads and unloads of one file keep one handle and an exact reference count")
{
    conformance_require_all_functions();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("lifecycle_counter");
    module_handle_t handle = case_load(system, path);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, WORKERS);
    hold_worker_t workers[WORKERS];
    for (int t = 0; t < WORKERS; t++) {
        workers[t] =
            (hold_worker_t){.system = system, .path = path, .handle = handle, .start = &start};
    }
    pthread_t threads[WORKERS];
    start_workers(threads, hold_or_release, workers, sizeof(hold_worker_t));
    join_workers(threads);
    assert_no_failures("concurrent loads of one file");
    cr_assert(case_refcount(handle) == 1 + WORKERS * HOLD_LOADS,
              "reference count %u after %d "
              "loads, expected %d",
              case_refcount(handle), 1 + WORKERS * HOLD_LOADS, 1 + WORKERS * HOLD_LOADS);
    cr_assert(fixture_log_count("init lifecycle_counter") == 1, "init ran %zu times",
              fixture_log_count("init lifecycle_counter"));

    for (int t = 0; t < WORKERS; t++) {
        workers[t].unload = true;
    }
    start_workers(threads, hold_or_release, workers, sizeof(hold_worker_t));
    join_workers(threads);
    pthread_barrier_destroy(&start);
    assert_no_failures("concurrent unloads of one file");
    cr_assert(case_refcount(handle) == 1, "reference count %u after matching unloads, expected 1",
              case_refcount(handle));
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 0,
              "cleanup ran while a reference remained");
    case_unload(handle);
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 1, "cleanup ran %zu times",
              fixture_log_count("cleanup lifecycle_counter"));
    case_system_destroy(system);
}

/* ---- CORE-CONC-003 ------------------------------------------------------------------------ */

enum { SYSTEM_ROUNDS = 40 };

typedef struct {
    const char* paths[3];
    pthread_barrier_t* start;
} own_system_worker_t;

static void* own_system_rounds(void* argument)
{
    own_system_worker_t* worker = argument;
    const candidate_api_t* api = &conformance_candidate;
    pthread_barrier_wait(worker->start);
    for (int round = 0; round < SYSTEM_ROUNDS; round++) {
        module_system_t* system = api->module_system_init(NULL);
        if (system == NULL) {
            note_failure("module_system_init failed with error %d",
                         (int)api->module_get_last_error());
            continue;
        }
        for (int i = 0; i < 3; i++) {
            module_handle_t handle = api->module_load(system, worker->paths[i]);
            module_info_t info = {0};
            if (handle == NULL) {
                note_failure("module_load(%s) failed with error %d", worker->paths[i],
                             (int)api->module_get_last_error());
            } else if (!api->module_get_info(handle, &info) || info.reference_count != 1) {
                note_failure("module_get_info(%s) failed or shows another system's count (%u)",
                             worker->paths[i], info.reference_count);
            }
        }
        api->module_system_destroy(system);
        if (api->module_get_last_error() != MODULE_SUCCESS) {
            note_failure("module_system_destroy failed with error %d",
                         (int)api->module_get_last_error());
        }
    }
    return NULL;
}

CONFORMANCE_CASE(
    core_conc, CORE_CONC_003, "1.1",
    "threads creating, using and destroying their own systems at once do not interfere")
{
    conformance_require_all_functions();
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, WORKERS);
    own_system_worker_t workers[WORKERS];
    for (int t = 0; t < WORKERS; t++) {
        workers[t] = (own_system_worker_t){
            .paths = {fixture_module("example_module"), fixture_module("graphics_renderer"),
                      fixture_module("symbol_rich")},
            .start = &start,
        };
    }
    pthread_t threads[WORKERS];
    start_workers(threads, own_system_rounds, workers, sizeof(own_system_worker_t));
    join_workers(threads);
    pthread_barrier_destroy(&start);
    assert_no_failures("threads with their own systems");
    cr_assert(fixture_log_count("init graphics_renderer") ==
                  fixture_log_count("cleanup graphics_renderer"),
              "graphics_renderer: %zu inits, %zu cleanups",
              fixture_log_count("init graphics_renderer"),
              fixture_log_count("cleanup graphics_renderer"));
}

/* ---- CORE-CONC-004 ------------------------------------------------------------------------ */

enum { QUERY_ROUNDS = 2000, CHURN_FILES = 8 };

typedef struct {
    module_system_t* system;
    module_handle_t stable;
    void* stable_symbol;
    const char** churn_paths;
    atomic_bool* done;
    bool churner;
} query_worker_t;

static void* query_or_churn(void* argument)
{
    query_worker_t* worker = argument;
    const candidate_api_t* api = &conformance_candidate;
    if (worker->churner) {
        for (int round = 0; round < QUERY_ROUNDS / 10; round++) {
            const char* path = worker->churn_paths[round % CHURN_FILES];
            module_handle_t handle = api->module_load(worker->system, path);
            if (handle == NULL || !api->module_unload(handle)) {
                note_failure("churn of %s failed with error %d", path,
                             (int)api->module_get_last_error());
            }
        }
        atomic_store(worker->done, true);
        return NULL;
    }
    int round = 0;
    while (round < QUERY_ROUNDS || !atomic_load(worker->done)) {
        void* symbol = api->module_get_symbol(worker->stable, "sym_020");
        if (symbol != worker->stable_symbol) {
            note_failure("a lookup of sym_020 gave another pointer (error %d)",
                         (int)api->module_get_last_error());
        }
        module_info_t info = {0};
        if (!api->module_get_info(worker->stable, &info) || info.reference_count != 1 ||
            strcmp(info.name, "symbol_rich") != 0) {
            note_failure("module_get_info of the stable module failed or changed (count %u)",
                         info.reference_count);
        }
        round++;
    }
    return NULL;
}

CONFORMANCE_CASE(
    core_conc, CORE_CONC_004, "1.1",
    "lookups and info queries stay exact while another thread loads and unloads other modules")
{
    conformance_require_all_functions();
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t stable = case_load(system, fixture_module("symbol_rich"));
    void* stable_symbol = case_symbol(stable, "sym_020");
    const char** churn_paths = case_alloc(sizeof(char*) * CHURN_FILES);
    for (int i = 0; i < CHURN_FILES; i++) {
        churn_paths[i] = case_copy(fixture_module("plain_module"), case_strf("churn_%d.so", i));
    }
    atomic_bool done = false;
    query_worker_t workers[WORKERS];
    for (int t = 0; t < WORKERS; t++) {
        workers[t] = (query_worker_t){.system = system,
                                      .stable = stable,
                                      .stable_symbol = stable_symbol,
                                      .churn_paths = churn_paths,
                                      .done = &done,
                                      .churner = t == 0};
    }
    pthread_t threads[WORKERS];
    start_workers(threads, query_or_churn, workers, sizeof(query_worker_t));
    join_workers(threads);
    assert_no_failures("queries during churn");
    case_system_destroy(system);
}

/* ---- CORE-CONC-005 ------------------------------------------------------------------------ */

typedef struct {
    module_system_t* system;
    const char* path;
    atomic_int* loads_done;
    atomic_int* finished;
} racing_loader_t;

/* Loads and unloads until the system is destroyed under it: each call either works or fails with
 * INVALID_PARAMETER, and once a load has failed that way, no later load may succeed. */
static void* load_until_destroyed(void* argument)
{
    racing_loader_t* loader = argument;
    const candidate_api_t* api = &conformance_candidate;
    bool destroyed_seen = false;
    for (int round = 0; round < 100000; round++) {
        module_handle_t handle = api->module_load(loader->system, loader->path);
        if (handle == NULL) {
            module_error_t error = api->module_get_last_error();
            if (error != MODULE_ERROR_INVALID_PARAMETER) {
                note_failure("a load racing with destroy failed with error %d", (int)error);
            }
            destroyed_seen = true;
            break;
        }
        atomic_fetch_add(loader->loads_done, 1);
        if (!api->module_unload(handle) &&
            api->module_get_last_error() != MODULE_ERROR_INVALID_PARAMETER) {
            note_failure("an unload racing with destroy failed with error %d",
                         (int)api->module_get_last_error());
        }
    }
    if (destroyed_seen && api->module_load(loader->system, loader->path) != NULL) {
        note_failure("a load succeeded on a destroyed system");
    }
    atomic_fetch_add(loader->finished, 1);
    return NULL;
}

CONFORMANCE_CASE(core_conc, CORE_CONC_005, "2.8",
                 "destroying a system while other threads load into it fails their calls cleanly")
{
    conformance_require_all_functions();
    module_system_t* system = case_system_new(NULL, 0);
    atomic_int loads_done = 0;
    atomic_int finished = 0;
    racing_loader_t loaders[WORKERS];
    const char* paths[WORKERS] = {fixture_module("example_module"), fixture_module("plain_module"),
                                  fixture_module("lifecycle_counter"),
                                  fixture_module("example_module")};
    for (int t = 0; t < WORKERS; t++) {
        loaders[t] = (racing_loader_t){
            .system = system, .path = paths[t], .loads_done = &loads_done, .finished = &finished};
    }
    pthread_t threads[WORKERS];
    start_workers(threads, load_until_destroyed, loaders, sizeof(racing_loader_t));
    /* Destroy once the loaders are busy (or all gave up, which is then reported). */
    while (atomic_load(&loads_done) < 200 && atomic_load(&finished) < WORKERS) {
        sched_yield();
    }
    case_system_destroy(system);
    join_workers(threads);
    assert_no_failures("loads racing with destroy");
    cr_assert(fixture_log_count("init lifecycle_counter") ==
                  fixture_log_count("cleanup lifecycle_counter"),
              "lifecycle_counter: %zu inits, %zu cleanups after destroy",
              fixture_log_count("init lifecycle_counter"),
              fixture_log_count("cleanup lifecycle_counter"));
}
