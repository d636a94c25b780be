/* case_outcome.c — see case_outcome.h. */
#include "case_outcome.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "case_context.h"
#include "case_systems.h"
#include "run_directory.h"

void conformance_not_supported(const char* format, ...)
{
    char reason[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(reason, sizeof(reason), format, args);
    va_end(args);
    case_systems_destroy_all();
    cr_skip_test(CONFORMANCE_NOT_SUPPORTED_PREFIX "%s", reason);
}

bool conformance_note_path(char* out, size_t out_size, const char* run_dir, const char* id)
{
    int written = snprintf(out, out_size, "%s/%s.note", run_dir, id);
    return written >= 0 && (size_t)written < out_size;
}

void conformance_quality_warning(const char* format, ...)
{
    char note[1024];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(note, sizeof(note) - 1, format, args);
    va_end(args);
    if (length < 0) {
        return;
    }
    if ((size_t)length > sizeof(note) - 2) {
        length = (int)(sizeof(note) - 2);
    }
    const char* run_dir = run_directory();
    char path[4096];
    if (run_dir == NULL ||
        !conformance_note_path(path, sizeof(path), run_dir, conformance_case_id())) {
        /* No runner to read a note (e.g. criterion --debug): say it where a human will see it. */
        fprintf(stderr, "quality warning (%s): %s\n", conformance_case_id(), note);
        return;
    }
    /* Several warnings of one case are joined with "; " by the reader; one line each here. */
    note[length] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) {
        conformance_fail("harness: cannot record quality note in %s: %s", path, strerror(errno));
    }
    ssize_t written = write(fd, note, (size_t)length + 1);
    close(fd);
    if (written != (ssize_t)length + 1) {
        conformance_fail("harness: short write of quality note to %s", path);
    }
}
