/*
 * test_support.c — temporary recorded trees for the platform tests.
 */
#include "test_support.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char* test_make_tree(void)
{
    const char* tmp = getenv("TMPDIR");
    char templ[4096];
    snprintf(templ, sizeof templ, "%s/coremod-topology-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char* dir = mkdtemp(templ);
    cr_assert_not_null(dir, "mkdtemp: %s", strerror(errno));
    char* copy = strdup(dir);
    cr_assert_not_null(copy);
    return copy;
}

static void make_parents(char* path)
{
    for (char* p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            cr_assert_fail("mkdir %s: %s", path, strerror(errno));
        *p = '/';
    }
}

void test_write(const char* root, const char* rel, const char* content)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    make_parents(path);
    FILE* f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s: %s", path, strerror(errno));
    fputs(content, f);
    cr_assert_eq(fclose(f), 0);
}

static int remove_entry(const char* path, const struct stat* st, int flag, struct FTW* ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void test_remove_tree(char* root)
{
    if (!root)
        return;
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(root);
}

char* test_read_file(const char* path)
{
    FILE* f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char* buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char* grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            } else {
                buf = grown;
            }
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

const char* test_fixtures_dir(void)
{
    const char* env = getenv("COREMOD_TOPOLOGY_FIXTURES");
    return env && *env ? env : COREMOD_TOPOLOGY_FIXTURES_DIR;
}
