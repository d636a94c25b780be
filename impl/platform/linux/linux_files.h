/*
 * linux_files.h — reading /sys and /proc files under a root prefix.
 *
 * Live detection uses the root "" (the real /sys and /proc); replay uses a recorded tree, so that
 * every read in the Linux backend goes through these functions and none can escape the recording.
 * A file that does not exist (or cannot be opened) is "absent", which the backend treats as
 * "the kernel does not say"; a file that exists but holds garbage is PLATFORM_ERR_SOURCE_MALFORMED.
 */
#ifndef COREMOD_LINUX_FILES_H
#define COREMOD_LINUX_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform_cpuset.h"
#include "platform_status.h"

#define LINUX_PATH_MAX 4096

typedef struct {
    char root[LINUX_PATH_MAX]; /* "" for the live system; no trailing '/' */
} linux_root_t;

/* dir == NULL: live. Otherwise dir must be an existing directory. */
platform_status_t linux_root_init(linux_root_t* root, const char* dir);

/* root + relative path ("/sys/..."), formatted. False if it does not fit. */
bool linux_path(const linux_root_t* root, char* out, size_t len, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reads a small file (truncated to len-1 bytes), trailing white space removed. */
bool linux_read_text(const linux_root_t* root, char* buf, size_t len, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reads a whole file of any size (up to 16 MiB) into a malloc'ed NUL-terminated buffer.
 * PLATFORM_OK with *text == NULL when absent. */
platform_status_t linux_read_all(const linux_root_t* root, const char* rel, char** text);

/* Number files: *found false when absent. Decimal, or hex with 0x (midr_el1). */
platform_status_t linux_read_u64(const linux_root_t* root, bool* found, uint64_t* value,
                                 const char* fmt, ...) __attribute__((format(printf, 4, 5)));
platform_status_t linux_read_i64(const linux_root_t* root, bool* found, int64_t* value,
                                 const char* fmt, ...) __attribute__((format(printf, 4, 5)));

/* Cache size files: "32K", "1024K", "12M", or plain bytes. */
platform_status_t linux_read_size(const linux_root_t* root, bool* found, uint64_t* bytes,
                                  const char* fmt, ...) __attribute__((format(printf, 4, 5)));

/* cpulist files; `out` must be empty and stays empty when absent. */
platform_status_t linux_read_cpulist(const linux_root_t* root, bool* found, platform_cpuset_t* out,
                                     const char* fmt, ...) __attribute__((format(printf, 4, 5)));

#endif /* COREMOD_LINUX_FILES_H */
