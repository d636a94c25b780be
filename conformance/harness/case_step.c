/* case_step.c — see case_step.h. */
#include "case_step.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The file holds two NUL-terminated fields of FIELD_SIZE bytes: the step, then the last call. */
#define FIELD_SIZE 512
#define STEP_FIELD 0
#define CALL_FIELD 1
#define AREA_SIZE (2 * FIELD_SIZE)

static char* area; /* this case process's mapping, or NULL */

static int step_path(char* out, size_t out_size, const char* run_dir, const char* case_id)
{
    int written = snprintf(out, out_size, "%s/%s.step", run_dir, case_id);
    return written >= 0 && (size_t)written < out_size;
}

void case_step_open(const char* run_dir, const char* case_id)
{
    char path[4096];
    if (area != NULL || run_dir == NULL || !step_path(path, sizeof(path), run_dir, case_id)) {
        return;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return;
    }
    if (ftruncate(fd, AREA_SIZE) == 0) {
        void* mapped = mmap(NULL, AREA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        area = mapped == MAP_FAILED ? NULL : mapped;
    }
    close(fd);
}

/* Copies `text` into a field, its first byte last: a reader racing the copy (a worker thread
 * that crashes the process meanwhile) sees either "" or the whole text, never a longer string. */
static void put_field(int field, const char* text)
{
    char* slot = area + field * FIELD_SIZE;
    size_t length = strnlen(text, FIELD_SIZE - 1);
    slot[0] = '\0';
    if (length == 0) {
        return;
    }
    memcpy(slot + 1, text + 1, length - 1);
    slot[length] = '\0';
    slot[0] = text[0];
}

void case_step(const char* format, ...)
{
    if (area == NULL) {
        return;
    }
    char step[FIELD_SIZE];
    va_list args;
    va_start(args, format);
    vsnprintf(step, sizeof(step), format, args);
    va_end(args);
    put_field(STEP_FIELD, step);
}

void case_step_call(const char* function)
{
    if (area != NULL) {
        put_field(CALL_FIELD, function);
    }
}

void case_step_take(const char* run_dir, const char* case_id, char* out, size_t out_size)
{
    out[0] = '\0';
    char path[4096];
    if (run_dir == NULL || run_dir[0] == '\0' || !step_path(path, sizeof(path), run_dir, case_id)) {
        return;
    }
    char fields[AREA_SIZE];
    memset(fields, 0, sizeof(fields));
    FILE* file = fopen(path, "re");
    if (file == NULL) {
        return;
    }
    size_t got = fread(fields, 1, sizeof(fields), file);
    fclose(file);
    unlink(path);
    if (got == 0) {
        return;
    }
    fields[STEP_FIELD * FIELD_SIZE + FIELD_SIZE - 1] = '\0';
    fields[CALL_FIELD * FIELD_SIZE + FIELD_SIZE - 1] = '\0';
    const char* step = fields + STEP_FIELD * FIELD_SIZE;
    const char* call = fields + CALL_FIELD * FIELD_SIZE;
    if (step[0] != '\0') {
        snprintf(out, out_size, "last step: %s", step);
    }
    if (call[0] != '\0') {
        size_t used = strlen(out);
        snprintf(out + used, out_size - used, "%slast call into the candidate: %s",
                 used ? "; " : "", call);
    }
}
