/*
 * exercise_optimization.c — coremod-optimization-exercise: drives every function of the JIT,
 * Cache and NUMA APIs (SPEC 10-13) against the library it is linked with — contexts, replay of a
 * recorded machine, every error path, and a multi-threaded phase in which contexts are used while
 * others are created and destroyed. Exits 0 when every check held, 1 otherwise.
 *
 *     coremod-optimization-exercise <fixtures/topology dir>
 *
 * Meant to run under valgrind, ASan+UBSan and TSan (the Criterion suite cannot run under TSan):
 * it checks results, the tools check memory and locking. The conformance suite checks the rules.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_optimization.h"
#include "coremod_replay.h"
#include "jit_optimization.h"
#include "module_interface.h"
#include "numa_optimization.h"

#define THREADS 4
#define ROUNDS 200

static int failures;
static pthread_mutex_t failures_lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            pthread_mutex_lock(&failures_lock);                                                    \
            failures++;                                                                            \
            fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__);                                 \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            pthread_mutex_unlock(&failures_lock);                                                  \
        }                                                                                          \
    } while (0)

static uint32_t code[4096];
static jit_optimization_context_t* shared_jit;
static cache_optimization_context_t* shared_cache;
static numa_optimization_context_t* shared_numa;

static void exercise_errors(void)
{
    apple_silicon_info_t apple;
    jit_compilation_hints_t hints;
    cache_prefetch_pattern_t pattern = {1, 64, CACHE_ACCESS_SEQUENTIAL, false};
    module_placement_result_t placed;
    module_placement_request_t bad = {(module_type_t)7, 50, 0, 50};
    int local = 0;
    CHECK(!jit_get_apple_silicon_info((void*)&local, &apple),
          "a local's address taken for a JIT context");
    CHECK(module_get_last_error() == MODULE_ERROR_INVALID_PARAMETER, "last error %d",
          module_get_last_error());
    CHECK(!jit_generate_compilation_hints(shared_jit, (const uint8_t*)code, 6, &hints),
          "6 bytes of code accepted");
    CHECK(!cache_apply_prefetch_pattern(shared_cache, &pattern),
          "a never generated pattern applied");
    CHECK(!cache_generate_prefetch_pattern(shared_cache, code, 0, CACHE_ACCESS_RANDOM, &pattern),
          "size 0 accepted");
    CHECK(!numa_place_module(shared_numa, &bad, &placed), "module type 7 accepted");
    CHECK(!numa_release_placement(shared_numa,
                                  &(module_placement_result_t){0, CORE_TYPE_PERFORMANCE, 0, 0.5f}),
          "a made-up placement released");
    jit_optimization_destroy(NULL);
    cache_optimization_destroy((void*)(uintptr_t)0xdeadbeef000);
    CHECK(module_get_last_error() == MODULE_ERROR_INVALID_PARAMETER,
          "destroy of a random value: last error %d", module_get_last_error());
}

static void exercise_replay(const char* topology_dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/macos-m1-pro-monterey/" COREMOD_REPLAY_SYSCTL_NAME,
             topology_dir);
    setenv(COREMOD_SYSCTL_FILE_ENV, path, 1);
    numa_optimization_context_t* numa = numa_optimization_create();
    unsetenv(COREMOD_SYSCTL_FILE_ENV);
    CHECK(numa != NULL, "replay of %s failed: %d", path, module_get_last_error());
    if (numa == NULL) {
        return;
    }
    numa_topology_info_t info;
    CHECK(numa_get_topology_info(numa, &info) && info.p_core_count == 6 && info.e_core_count == 2,
          "the M1 Pro recording is not 6 P + 2 E");
    module_placement_request_t background = {MODULE_TYPE_BACKGROUND, 10, 0, 50};
    module_placement_result_t placed;
    CHECK(numa_place_module(numa, &background, &placed) && placed.core_type == CORE_TYPE_EFFICIENCY,
          "low-priority background work not on an E core");
    CHECK(!numa_apply_placement(numa, &placed) &&
              module_get_last_error() == MODULE_ERROR_SYSTEM_ERROR,
          "a recorded machine's placement was applied");
    numa_optimization_destroy(numa);
    setenv(COREMOD_SYSFS_ROOT_ENV, "/nonexistent-coremod-root", 1);
    CHECK(jit_optimization_create() == NULL && module_get_last_error() == MODULE_ERROR_SYSTEM_ERROR,
          "a missing sysfs root was accepted");
    unsetenv(COREMOD_SYSFS_ROOT_ENV);
}

static void* worker(void* arg)
{
    static unsigned char data[1 << 16];
    size_t id = (size_t)arg;
    for (uint32_t i = 0; i < ROUNDS; i++) {
        jit_compilation_hints_t hints;
        CHECK(
            jit_generate_compilation_hints(shared_jit, (const uint8_t*)code, sizeof(code), &hints),
            "hints failed");
        cache_prefetch_pattern_t p;
        CHECK(cache_generate_prefetch_pattern(shared_cache, data, (size_t)(i + 1) * 256,
                                              (cache_access_pattern_t)(i % 4), &p),
              "pattern failed");
        cache_apply_prefetch_pattern(shared_cache,
                                     &p); /* may have been pushed out by other threads */
        module_placement_request_t r = {(module_type_t)(i % 4), i % 101, i,
                                        (uint32_t)((i * 7 + id) % 101)};
        module_placement_result_t placed;
        CHECK(numa_place_module(shared_numa, &r, &placed) &&
                  numa_release_placement(shared_numa, &placed),
              "place/release failed");
        jit_optimization_context_t* jit = jit_optimization_create();
        cache_optimization_context_t* cache = cache_optimization_create();
        numa_optimization_context_t* numa = numa_optimization_create();
        CHECK(jit && cache && numa, "create failed");
        CHECK(numa_place_module(numa, &r, &placed), "place in a fresh context failed");
        jit_optimization_destroy(jit);
        cache_optimization_destroy(cache);
        numa_optimization_destroy(numa);   /* with a live placement */
        cache_optimization_destroy(cache); /* twice: must fail cleanly */
    }
    return NULL;
}

int main(int argc, char** argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <fixtures/topology dir>\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof(code) / sizeof(code[0]); i++) {
        code[i] = i % 64 == 63 ? 0x54FFF821u : (i % 3 == 0 ? 0xF9400020u : 0x4E22D420u);
    }
    shared_jit = jit_optimization_create();
    shared_cache = cache_optimization_create();
    shared_numa = numa_optimization_create();
    if (!shared_jit || !shared_cache || !shared_numa) {
        fprintf(stderr, "creating the contexts failed: %d\n", module_get_last_error());
        return 1;
    }
    exercise_errors();
    exercise_replay(argv[1]);
    pthread_t threads[THREADS];
    for (size_t t = 0; t < THREADS; t++) {
        pthread_create(&threads[t], NULL, worker, (void*)t);
    }
    for (size_t t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
    }
    jit_optimization_destroy(shared_jit);
    cache_optimization_destroy(shared_cache);
    numa_optimization_destroy(shared_numa);
    printf("%d failed check%s\n", failures, failures == 1 ? "" : "s");
    return failures == 0 ? 0 : 1;
}
