/*
 * module_file.h — opening a module's file before the loader sees it: identity (SPEC 3.2), size
 * (SPEC 3.9, 3.10), and the file-system failures of SPEC 3.4 (missing, unreadable, not a regular
 * file).
 */
#ifndef COREMOD_MODULE_FILE_H
#define COREMOD_MODULE_FILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "errors.h"

typedef struct {
    int fd;
    dev_t device;
    ino_t inode;
    uint64_t size;
} module_file_t;

/* Opens `path` (symbolic links followed) read-only. Fails with FILE_NOT_FOUND (missing, dangling
 * link), SECURITY_VIOLATION (permissions), INVALID_MODULE (not a regular file) or the matching
 * resource error. */
bool module_file_open(const char* path, module_file_t* file, coremod_failure_t* failure);

void module_file_close(module_file_t* file);

#endif /* COREMOD_MODULE_FILE_H */
