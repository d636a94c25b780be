/* case_tmpdir.c — see case_tmpdir.h. */
#include "case_tmpdir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case_context.h"
#include "case_memory.h"
#include "run_directory.h"

static char case_directory[PATH_MAX];

bool case_tmpdir_create(const char* id, char* err, size_t err_size)
{
    const char* base = run_directory();
    if (base == NULL) {
        base = getenv("TMPDIR");
    }
    if (base == NULL || base[0] == '\0') {
        base = "/tmp";
    }
    int written = snprintf(case_directory, sizeof(case_directory), "%s/%s-XXXXXX", base, id);
    if (written < 0 || (size_t)written >= sizeof(case_directory)) {
        snprintf(err, err_size, "temporary directory name under %s is too long", base);
        case_directory[0] = '\0';
        return false;
    }
    if (mkdtemp(case_directory) == NULL) {
        snprintf(err, err_size, "cannot create %s: %s", case_directory, strerror(errno));
        case_directory[0] = '\0';
        return false;
    }
    return true;
}

static int remove_entry(const char* path, const struct stat* st, int type, struct FTW* ftw)
{
    (void)st;
    (void)ftw;
    if (type == FTW_DP) {
        rmdir(path);
    } else {
        unlink(path);
    }
    return 0; /* keep going: remove as much as possible */
}

void case_remove_tree(const char* path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void case_tmpdir_remove(void)
{
    if (case_directory[0] == '\0') {
        return;
    }
    case_remove_tree(case_directory);
    case_directory[0] = '\0';
}

const char* case_dir(void)
{
    if (case_directory[0] == '\0') {
        conformance_fail("harness: the case has no temporary directory");
    }
    return case_directory;
}

const char* case_path(const char* relative)
{
    return case_strf("%s/%s", case_dir(), relative);
}

const char* case_mkdir(const char* relative)
{
    const char* path = case_path(relative);
    char* partial = case_strdup(path);
    /* Create each missing parent in turn (mkdir -p). */
    for (char* slash = partial + strlen(case_dir()) + 1; *slash != '\0'; slash++) {
        if (*slash == '/') {
            *slash = '\0';
            if (mkdir(partial, 0755) != 0 && errno != EEXIST) {
                conformance_fail("harness: mkdir %s: %s", partial, strerror(errno));
            }
            *slash = '/';
        }
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        conformance_fail("harness: mkdir %s: %s", path, strerror(errno));
    }
    return path;
}

static void write_all(int fd, const void* data, size_t size, const char* path)
{
    const char* cursor = data;
    while (size > 0) {
        ssize_t done = write(fd, cursor, size);
        if (done < 0 && errno == EINTR) {
            continue;
        }
        if (done <= 0) {
            int saved = errno;
            close(fd);
            conformance_fail("harness: write %s: %s", path, strerror(saved));
        }
        cursor += done;
        size -= (size_t)done;
    }
}

const char* case_write(const char* relative, const void* data, size_t size)
{
    const char* path = case_path(relative);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        conformance_fail("harness: create %s: %s", path, strerror(errno));
    }
    write_all(fd, data, size, path);
    if (close(fd) != 0) {
        conformance_fail("harness: close %s: %s", path, strerror(errno));
    }
    return path;
}

const char* case_copy(const char* source, const char* relative)
{
    int in = open(source, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        conformance_fail("harness: open %s: %s", source, strerror(errno));
    }
    const char* path = case_path(relative);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        int saved = errno;
        close(in);
        conformance_fail("harness: create %s: %s", path, strerror(saved));
    }
    char buffer[65536];
    for (;;) {
        ssize_t got = read(in, buffer, sizeof(buffer));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            int saved = errno;
            close(in);
            close(out);
            conformance_fail("harness: read %s: %s", source, strerror(saved));
        }
        if (got == 0) {
            break;
        }
        write_all(out, buffer, (size_t)got, path);
    }
    close(in);
    if (close(out) != 0) {
        conformance_fail("harness: close %s: %s", path, strerror(errno));
    }
    return path;
}

const char* case_symlink(const char* target, const char* relative)
{
    const char* path = case_path(relative);
    if (symlink(target, path) != 0) {
        conformance_fail("harness: symlink %s -> %s: %s", path, target, strerror(errno));
    }
    return path;
}

const char* case_hardlink(const char* existing, const char* relative)
{
    const char* path = case_path(relative);
    if (link(existing, path) != 0) {
        conformance_fail("harness: link %s -> %s: %s", path, existing, strerror(errno));
    }
    return path;
}

static unsigned chown_uid;
static unsigned chown_gid;

static int chown_entry(const char* path, const struct stat* st, int type, struct FTW* ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return lchown(path, chown_uid, chown_gid) == 0 ? 0 : -1;
}

void case_tmpdir_chown(unsigned uid, unsigned gid)
{
    chown_uid = uid;
    chown_gid = gid;
    if (nftw(case_dir(), chown_entry, 16, FTW_PHYS) != 0) {
        conformance_fail("harness: chown -R %s: %s", case_dir(), strerror(errno));
    }
}
