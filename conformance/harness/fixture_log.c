/* fixture_log.c — see fixture_log.h. */
#include "fixture_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case_context.h"
#include "case_memory.h"
#include "case_tmpdir.h"

static char log_path[4096];

bool fixture_log_setup(char* err, size_t err_size)
{
    int written = snprintf(log_path, sizeof(log_path), "%s/fixture.log", case_dir());
    if (written < 0 || (size_t)written >= sizeof(log_path)) {
        snprintf(err, err_size, "fixture log path too long");
        return false;
    }
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        snprintf(err, err_size, "cannot create %s: %s", log_path, strerror(errno));
        return false;
    }
    close(fd);
    if (setenv(FIXTURE_LOG_ENV, log_path, 1) != 0) {
        snprintf(err, err_size, "setenv %s: %s", FIXTURE_LOG_ENV, strerror(errno));
        return false;
    }
    return true;
}

const char* fixture_log_path(void)
{
    return log_path;
}

/* The log's content, for the checks below and for failure messages. */
static const char* read_log(void)
{
    int fd = open(log_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        conformance_fail("harness: cannot open fixture log %s: %s", log_path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        conformance_fail("harness: fstat %s: %s", log_path, strerror(errno));
    }
    size_t size = (size_t)st.st_size;
    char* text = case_alloc(size + 1);
    size_t used = 0;
    while (used < size) {
        ssize_t got = read(fd, text + used, size - used);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        used += (size_t)got;
    }
    close(fd);
    text[used] = '\0';
    return text;
}

/* When module code runs (constructors, init, cleanup) is SPEC 3.6's and 3.3's, both coremod. */
#define LOG_RULE "SPEC 3.6 and 3.3: when a module's constructor, init and cleanup run"

const char* fixture_log_read(void)
{
    conformance_require_coremod_case("fixture_log_read", LOG_RULE);
    return read_log();
}

/* Counts the lines equal to `wanted` into *count; returns the 0-based index of the first, or -1. */
static long scan_lines(const char* wanted, size_t* count)
{
    const char* text = read_log();
    size_t wanted_length = strlen(wanted);
    long index = 0;
    long first = -1;
    while (*text != '\0') {
        const char* end = strchr(text, '\n');
        size_t length = end ? (size_t)(end - text) : strlen(text);
        if (length == wanted_length && memcmp(text, wanted, length) == 0) {
            if (first < 0) {
                first = index;
            }
            (*count)++;
        }
        index++;
        text += length + (end ? 1 : 0);
    }
    return first;
}

size_t fixture_log_count(const char* line)
{
    conformance_require_coremod_case("fixture_log_count", LOG_RULE);
    size_t count = 0;
    scan_lines(line, &count);
    return count;
}

long fixture_log_index(const char* line)
{
    conformance_require_coremod_case("fixture_log_index", LOG_RULE);
    size_t count = 0;
    return scan_lines(line, &count);
}

void fixture_log_clear(void)
{
    if (truncate(log_path, 0) != 0) {
        conformance_fail("harness: truncate %s: %s", log_path, strerror(errno));
    }
}
