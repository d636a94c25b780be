/*
 * cases_info.c — module_get_info: every field, measured facts, bad arguments (SPEC 6.1 document;
 * 6.2, 3.9, 7.4 coremod).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conformance.h"

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

CONFORMANCE_CASE(core_info, CORE_INFO_001, "6.1",
                 "module_get_info of a module loaded once returns true with reference_count 1")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("metadata_full"));
    module_info_t info;
    memset(&info, 0xA5, sizeof(info));
    cr_assert(CAND(module_get_info)(handle, &info),
              "module_get_info of a loaded module returned "
              "false with %s; expected true (SPEC 6.1)",
              error_name(CAND(module_get_last_error)()));
    cr_assert(info.reference_count == 1,
              "reference_count %u for a module loaded once, expected 1 "
              "(SPEC 6.1)",
              info.reference_count);
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_info, CORE_INFO_007, "6.2",
    "module_get_info fills every field from the descriptor and the file, and resets the last error")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("metadata_full");
    module_handle_t handle = case_load(system, path);
    CAND(module_load)(system, case_path("missing.so")); /* leaves a last error to be reset */
    module_info_t info;
    memset(&info, 0xA5, sizeof(info));
    cr_assert(CAND(module_get_info)(handle, &info), "module_get_info failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_last_error(MODULE_SUCCESS, "module_get_info after a failing call");
    struct stat st;
    cr_assert(stat(path, &st) == 0, "harness: stat %s", path);
    cr_assert(strcmp(info.name, "metadata_full") == 0,
              "metadata_full: name \"%.64s\", expected "
              "\"metadata_full\" from its coremod_module_descriptor (SPEC 6.2, 3.7)",
              info.name);
    cr_assert(strcmp(info.version, "2.5.1") == 0,
              "metadata_full: version \"%.32s\", expected "
              "\"2.5.1\" from its coremod_module_descriptor (SPEC 6.2, 3.7)",
              info.version);
    cr_assert(strcmp(info.description, "A module that declares everything") == 0,
              "metadata_full: description \"%.256s\", expected \"A module that declares "
              "everything\" from its coremod_module_descriptor (SPEC 6.2, 3.7)",
              info.description);
    cr_assert(info.size_bytes == (uint32_t)st.st_size,
              "size_bytes %u, expected the file size "
              "%lld (SPEC 6.2, 3.9)",
              info.size_bytes, (long long)st.st_size);
    cr_assert(info.load_time_us >= 1 && info.load_time_us != 0xA5A5A5A5A5A5A5A5u,
              "load_time_us %llu was not filled; expected the load's duration, at least 1 (SPEC "
              "6.2, 3.9)",
              (unsigned long long)info.load_time_us);
    cr_assert(info.reference_count == 1, "reference_count %u, expected 1 (SPEC 6.1)",
              info.reference_count);
    unsigned char critical;
    memcpy(&critical, &info.is_critical, 1);
    cr_assert(critical == 1, "is_critical holds %u, expected true (1)", critical);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_info, CORE_INFO_002, "3.9", "size_bytes is the file's size")
{
    const char* names[] = {"example_module", "symbol_rich", "plain_module"};
    module_system_t* system = case_system_new(NULL, 0);
    for (size_t i = 0; i < 3; i++) {
        const char* path = fixture_module(names[i]);
        struct stat st;
        cr_assert(stat(path, &st) == 0, "harness: stat %s", path);
        module_info_t info = case_info(case_load(system, path));
        cr_assert(info.size_bytes == (uint64_t)st.st_size, "%s: size_bytes %u, st_size %lld",
                  names[i], info.size_bytes, (long long)st.st_size);
    }
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_info, CORE_INFO_003, "3.9",
    "load_time_us is measured (>= 1, within the call's duration) and not changed by later loads")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("lifecycle_counter");
    uint64_t start = monotonic_ns();
    module_handle_t handle = case_load(system, path);
    uint64_t elapsed_ns = monotonic_ns() - start;
    module_info_t first = case_info(handle);
    /* The candidate times a part of the interval the case timed, rounding up to whole µs. */
    uint64_t bound_us = (elapsed_ns + 999) / 1000 + 1;
    cr_assert(first.load_time_us >= 1, "load_time_us is 0 (SPEC 3.9: rounded up, at least 1)");
    cr_assert(first.load_time_us <= bound_us,
              "load_time_us %llu exceeds the %llu us the whole "
              "module_load call took",
              (unsigned long long)first.load_time_us, (unsigned long long)bound_us);
    case_load(system, path);
    module_info_t second = case_info(handle);
    cr_assert(second.load_time_us == first.load_time_us,
              "a load that only raised the count changed load_time_us from %llu to %llu",
              (unsigned long long)first.load_time_us, (unsigned long long)second.load_time_us);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_info, CORE_INFO_004, "3.9",
                 "size_bytes of a file larger than 4 GiB is clamped to UINT32_MAX")
{
    const char* path = case_copy(fixture_module("plain_module"), "huge.so");
    /* A sparse tail after a valid module: the loader maps only the segments at its start. */
    off_t huge = (off_t)UINT32_MAX + 4096 * 16;
    if (truncate(path, huge) != 0) {
        conformance_not_supported("this file system cannot hold a sparse 4 GiB file: %s",
                                  strerror(errno));
    }
    module_system_t* system = case_system_new(NULL, 0);
    module_info_t info = case_info(case_load(system, path));
    cr_assert(info.size_bytes == UINT32_MAX, "size_bytes %u for a %lld-byte file, expected %u",
              info.size_bytes, (long long)huge, UINT32_MAX);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_info, CORE_INFO_005, "6.1",
                 "module_get_info with info == NULL fails with INVALID_PARAMETER")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    cr_assert(!CAND(module_get_info)(handle, NULL),
              "module_get_info(handle, NULL) returned true; "
              "expected false with INVALID_PARAMETER (SPEC 6.1)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_get_info(handle, NULL)");
    cr_assert(case_refcount(handle) == 1, "the failing call changed the module's count to %u",
              case_refcount(handle));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_info, CORE_INFO_008, "7.4",
                 "the message of module_get_info(handle, NULL) names info")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    capture_take(NULL);
    cr_assert(!CAND(module_get_info)(handle, NULL), "module_get_info(handle, NULL) returned true");
    const char* message =
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_info(handle, NULL)");
    expect_message_contains(message, "info", "module_get_info(handle, NULL)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_info, CORE_INFO_006, "6.1",
                 "module_get_info(NULL, info) fails with INVALID_PARAMETER")
{
    module_info_t info;
    cr_assert(!CAND(module_get_info)(NULL, &info),
              "module_get_info(NULL, &info) returned true; "
              "expected false with INVALID_PARAMETER (SPEC 6.1)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_get_info(NULL, &info)");
}

CONFORMANCE_CASE(core_info, CORE_INFO_009, "6.2",
                 "a failing module_get_info leaves *info untouched")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    case_unload(handle);
    module_info_t info;
    unsigned char pattern[sizeof(info)];
    memset(pattern, 0x5A, sizeof(pattern));
    module_handle_t bad[] = {NULL, handle, (module_handle_t)(uintptr_t)0xdeadbeef000};
    for (size_t i = 0; i < 3; i++) {
        memcpy(&info, pattern, sizeof(info));
        cr_assert(!CAND(module_get_info)(bad[i], &info), "module_get_info(%p) succeeded",
                  (void*)bad[i]);
        expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_get_info of a bad handle");
        cr_assert(memcmp(&info, pattern, sizeof(info)) == 0,
                  "module_get_info(%p) failed but wrote into *info", (void*)bad[i]);
    }
    case_system_destroy(system);
}
