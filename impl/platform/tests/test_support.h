/*
 * test_support.h — helpers shared by the platform tests: temporary recorded trees, files, paths.
 */
#ifndef COREMOD_PLATFORM_TEST_SUPPORT_H
#define COREMOD_PLATFORM_TEST_SUPPORT_H

#include <stddef.h>

/* Creates an empty directory under $TMPDIR (or /tmp); the path is malloc'ed. */
char* test_make_tree(void);

/* Writes `content` to root/rel, creating parent directories. Aborts the test on failure. */
void test_write(const char* root, const char* rel, const char* content);

/* Removes a tree made by test_make_tree and frees the path. */
void test_remove_tree(char* root);

/* Whole file into a malloc'ed string, NULL if unreadable. */
char* test_read_file(const char* path);

/* The fixture machines directory (COREMOD_TOPOLOGY_FIXTURES or the compiled-in source path). */
const char* test_fixtures_dir(void);

#endif /* COREMOD_PLATFORM_TEST_SUPPORT_H */
