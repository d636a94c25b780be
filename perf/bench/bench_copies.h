/*
 * bench_copies.h — distinct copies of a fixture module, made at run time.
 *
 * A loader identifies a module by the file's device and inode (SPEC 3.2; glibc's dlopen does the
 * same), so measuring "a load of a file not yet loaded" or "1000 modules live at once" needs that
 * many distinct files. They are byte-for-byte copies of one fixture, written into a fresh private
 * directory (mkdtemp under $TMPDIR, default /tmp) when the run starts and removed when it ends —
 * also when the run is interrupted by SIGINT, SIGTERM or SIGHUP. Nothing is committed to the
 * repository. A run killed by SIGKILL or by a crash leaves its coremod-bench.XXXXXX directory.
 */
#ifndef COREMOD_BENCH_COPIES_H
#define COREMOD_BENCH_COPIES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char dir[4096];
    char** paths; /* `wanted` entries, allocated up front */
    size_t wanted;
    size_t created; /* files written or being written (removed by bench_copies_remove) */
} bench_copies_t;

/* Copies `source` to `count` new files. Returns false with a message in `err` on failure (after
 * removing whatever it had made). Only one set of copies may exist at a time. */
bool bench_copies_create(bench_copies_t* copies, const char* source, size_t count, char* err,
                         size_t err_size);

/* Makes the next bench_copies_create use exactly `dir` (created by it, and it must not exist yet)
 * instead of a fresh mkdtemp name. Instruction counts (bench_instructions.h) must not depend on a
 * random directory name: path lengths and string comparisons inside the loader see it. NULL goes
 * back to mkdtemp. The string must outlive the copies. */
void bench_copies_use_directory(const char* dir);

/* Path of copy `index` (< count). */
const char* bench_copies_path(const bench_copies_t* copies, size_t index);

/* Removes every copy and the directory, and frees the paths. Safe on a zeroed struct. */
void bench_copies_remove(bench_copies_t* copies);

#endif /* COREMOD_BENCH_COPIES_H */
