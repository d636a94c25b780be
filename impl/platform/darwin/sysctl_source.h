/*
 * sysctl_source.h — where the macOS backend gets its sysctl values from.
 *
 * On a Mac the live source calls sysctlbyname(); everywhere, the file source answers from
 * `name: value` lines as `sysctl -a` prints them (COREMOD_SYSCTL_FILE). topology_darwin.c only
 * sees this interface, so the code that derives the table from the keys is the same in both cases
 * and is tested on Linux through recorded dumps.
 */
#ifndef COREMOD_SYSCTL_SOURCE_H
#define COREMOD_SYSCTL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform_status.h"

typedef struct sysctl_source {
    /* PLATFORM_OK with *found false when the key does not exist; PLATFORM_ERR_SOURCE_MALFORMED
     * when it exists but is not an integer (get_int) or does not fit (get_string). */
    platform_status_t (*get_int)(const struct sysctl_source* self, const char* name, bool* found,
                                 int64_t* value);
    platform_status_t (*get_string)(const struct sysctl_source* self, const char* name, bool* found,
                                    char* buf, size_t len);
    void (*close)(struct sysctl_source* self);
    void* state;
} sysctl_source_t;

/* Reads FILE (at most 4 MiB of `name: value` lines). PLATFORM_ERR_SOURCE_UNREADABLE if it
 * cannot be read. Close with source->close(source). */
platform_status_t sysctl_source_open_file(const char* path, sysctl_source_t* source);

/* Parses `name: value` text already in memory (tests). */
platform_status_t sysctl_source_open_text(const char* text, sysctl_source_t* source);

/* The running macOS kernel; PLATFORM_ERR_UNSUPPORTED elsewhere. */
platform_status_t sysctl_source_open_live(sysctl_source_t* source);

#endif /* COREMOD_SYSCTL_SOURCE_H */
