/*
 * case_tmpdir.h — the case's private temporary directory.
 *
 * Cases that need files arranged in a certain way (copies, hard and symbolic links, search-path
 * directories, unreadable or sparse files) build them here, never in the shared fixtures
 * directory: cases run in parallel. The directory is created under the run directory the report
 * hook made (or $TMPDIR) and removed, with everything in it, when the case ends.
 *
 * Every function returns an absolute path (case_memory.h) and fails the case if the file system
 * refuses, so that a harness problem is never mistaken for a candidate result.
 */
#ifndef CONFORMANCE_CASE_TMPDIR_H
#define CONFORMANCE_CASE_TMPDIR_H

#include <stdbool.h>
#include <stddef.h>

/* Creates the directory for case `id`; false with a message in `err` on failure. */
bool case_tmpdir_create(const char* id, char* err, size_t err_size);

/* Removes the directory and everything in it. */
void case_tmpdir_remove(void);

/* Removes `path` and everything under it, as much as it can (no symbolic link is followed); the
 * report hook also clears the run directory with it. */
void case_remove_tree(const char* path);

/* Absolute path of the case directory. */
const char* case_dir(void);

/* Absolute path of `relative` inside the case directory (nothing is created). */
const char* case_path(const char* relative);

/* Creates directory `relative` (and its parents) inside the case directory. */
const char* case_mkdir(const char* relative);

/* Copies the file `source` to `relative` (mode 0644). */
const char* case_copy(const char* source, const char* relative);

/* Creates `relative` with the given content. */
const char* case_write(const char* relative, const void* data, size_t size);

/* Creates a symbolic link `relative` pointing to `target` (taken literally). */
const char* case_symlink(const char* target, const char* relative);

/* Creates a hard link `relative` to `existing`. */
const char* case_hardlink(const char* existing, const char* relative);

/* Makes the case directory tree owned by uid/gid (for a case that drops privileges). */
void case_tmpdir_chown(unsigned uid, unsigned gid);

#endif /* CONFORMANCE_CASE_TMPDIR_H */
