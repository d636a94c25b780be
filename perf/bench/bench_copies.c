/* bench_copies.c — see bench_copies.h. */
#include "bench_copies.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The set of copies an interrupting signal must remove. Only async-signal-safe calls (unlink,
 * rmdir, raise) touch it from the handler. */
static bench_copies_t* volatile active_copies;
static volatile sig_atomic_t active_created;

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* bench_copies_use_directory's choice; NULL: a fresh mkdtemp directory. */
static const char* fixed_directory;

void bench_copies_use_directory(const char* dir)
{
    fixed_directory = dir;
}

static void remove_on_signal(int sig)
{
    bench_copies_t* copies = active_copies;
    if (copies != NULL) {
        for (sig_atomic_t i = 0; i < active_created; i++) {
            unlink(copies->paths[i]);
        }
        rmdir(copies->dir);
    }
    /* SA_RESETHAND restored the default action: the process ends as the signal intended. */
    raise(sig);
}

static void set_signal_cleanup(bool on)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    sigemptyset(&action.sa_mask);
    action.sa_handler = on ? remove_on_signal : SIG_DFL;
    action.sa_flags = on ? SA_RESETHAND : 0;
    for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++) {
        sigaction(cleanup_signals[i], &action, NULL);
    }
}

/* Reads the whole of `path`; returns NULL with errno set on failure. */
static unsigned char* read_file(const char* path, size_t* size)
{
    FILE* in = fopen(path, "rb");
    if (in == NULL) {
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        fclose(in);
        errno = EINVAL;
        return NULL;
    }
    *size = (size_t)st.st_size;
    unsigned char* data = malloc(*size);
    if (data != NULL && fread(data, 1, *size, in) != *size) {
        free(data);
        data = NULL;
        errno = EIO;
    }
    fclose(in);
    return data;
}

static bool write_copy(const char* path, const unsigned char* data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
    if (fd < 0) {
        return false;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int saved = errno;
            close(fd);
            unlink(path);
            errno = saved;
            return false;
        }
        done += (size_t)n;
    }
    return close(fd) == 0;
}

static bool make_directory(bench_copies_t* copies, char* err, size_t err_size)
{
    if (fixed_directory != NULL) {
        int n = snprintf(copies->dir, sizeof(copies->dir), "%s", fixed_directory);
        if (n < 0 || (size_t)n >= sizeof(copies->dir)) {
            errno = ENAMETOOLONG;
        }
        if (n < 0 || (size_t)n >= sizeof(copies->dir) || mkdir(copies->dir, 0700) != 0) {
            int saved = errno;
            snprintf(err, err_size, "cannot create the copies directory %s: %s%s", fixed_directory,
                     strerror(saved),
                     saved == EEXIST ? " (left by an interrupted run? remove it)" : "");
            copies->dir[0] = '\0';
            return false;
        }
        return true;
    }
    const char* base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0') {
        base = "/tmp";
    }
    int n = snprintf(copies->dir, sizeof(copies->dir), "%s/coremod-bench.XXXXXX", base);
    if (n < 0 || (size_t)n >= sizeof(copies->dir) || mkdtemp(copies->dir) == NULL) {
        snprintf(err, err_size, "cannot create a temporary directory under %s: %s", base,
                 strerror(errno));
        copies->dir[0] = '\0';
        return false;
    }
    return true;
}

bool bench_copies_create(bench_copies_t* copies, const char* source, size_t count, char* err,
                         size_t err_size)
{
    memset(copies, 0, sizeof(*copies));
    if (active_copies != NULL) {
        snprintf(err, err_size, "a set of module copies already exists");
        return false;
    }
    size_t size = 0;
    unsigned char* data = read_file(source, &size);
    if (data == NULL) {
        snprintf(err, err_size, "cannot read fixture %s: %s", source, strerror(errno));
        return false;
    }
    copies->paths = calloc(count > 0 ? count : 1, sizeof(char*));
    if (copies->paths == NULL || !make_directory(copies, err, err_size)) {
        if (copies->paths == NULL) {
            snprintf(err, err_size, "out of memory for %zu copy paths", count);
        }
        free(copies->paths);
        copies->paths = NULL;
        free(data);
        return false;
    }
    copies->wanted = count;
    active_copies = copies;
    active_created = 0;
    set_signal_cleanup(true);
    bool ok = true;
    for (size_t i = 0; i < count && ok; i++) {
        size_t length = strlen(copies->dir) + 32;
        copies->paths[i] = malloc(length);
        if (copies->paths[i] == NULL) {
            snprintf(err, err_size, "out of memory for copy paths");
            ok = false;
            break;
        }
        snprintf(copies->paths[i], length, "%s/copy%05zu.so", copies->dir, i);
        /* Counted before the file exists, so that a signal arriving while it is being written
         * still removes it (unlinking a file that is not there yet is harmless). */
        copies->created = i + 1;
        active_created = (sig_atomic_t)copies->created;
        if (!write_copy(copies->paths[i], data, size)) {
            snprintf(err, err_size, "cannot write %s: %s", copies->paths[i], strerror(errno));
            ok = false;
            break;
        }
    }
    free(data);
    if (!ok) {
        bench_copies_remove(copies);
    }
    return ok;
}

const char* bench_copies_path(const bench_copies_t* copies, size_t index)
{
    return index < copies->created ? copies->paths[index] : NULL;
}

void bench_copies_remove(bench_copies_t* copies)
{
    if (copies->paths != NULL) {
        for (size_t i = 0; i < copies->wanted; i++) {
            if (i < copies->created) {
                unlink(copies->paths[i]);
            }
            free(copies->paths[i]);
        }
        free(copies->paths);
    }
    if (copies->dir[0] != '\0') {
        rmdir(copies->dir);
    }
    if (active_copies == copies) {
        set_signal_cleanup(false);
        active_copies = NULL;
        active_created = 0;
    }
    memset(copies, 0, sizeof(*copies));
}
