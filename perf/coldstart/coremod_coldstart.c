/*
 * coremod_coldstart.c — coremod-coldstart: one whole process that starts, loads N modules and
 * ends, for the whole-process benchmark (`coremod certify` runs it under hyperfine).
 *
 *   coremod-coldstart --mode coremod --modules DIR --count 100 [--impl PATH]
 *   coremod-coldstart --mode raw     --modules DIR --count 100
 *
 * coremod: binds the candidate (dlopen + dlsym of its API, as every coremod runner does; a
 * program linked against the library pays the same loader work at start-up), module_system_init
 * with the default configuration, module_load of the first N files of DIR (*.so, in name order),
 * then module_system_destroy, which unloads them.
 * raw: dlopen(RTLD_NOW | RTLD_LOCAL) of the same N files, then dlclose of each.
 *
 * Both do their clean-up, so the two processes do the same kind of work from exec to exit. The
 * files must be distinct (a loader identifies a module by device and inode): `coremod` writes N
 * copies of the fixture module into DIR. Exit status: 0 every module loaded; 1 a load or the
 * system's creation failed (the reason on stderr); 2 bad usage or unreadable DIR. A benchmark
 * must never time a process that failed: hyperfine stops on a non-zero exit status.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "candidate_api.h"

#define EXIT_LOAD_FAILED 1
#define EXIT_USAGE 2
#define MAX_COUNT 100000

typedef enum { MODE_NONE, MODE_COREMOD, MODE_RAW } coldstart_mode_t;

typedef struct {
    coldstart_mode_t mode;
    const char* modules_dir;
    const char* impl;
    long count;
} options_t;

static void usage(FILE* to)
{
    fprintf(to,
            "usage: coremod-coldstart --mode coremod|raw --modules DIR --count N [--impl PATH]\n"
            "\n"
            "Starts, loads the first N shared objects of DIR (*.so, name order) and ends:\n"
            "  coremod  through the candidate (module_system_init, module_load, then\n"
            "           module_system_destroy); --impl or $" CANDIDATE_ENV " names it\n"
            "  raw      through dlopen(RTLD_NOW | RTLD_LOCAL), then dlclose\n"
            "Exit status: 0 all loaded; 1 a load failed; 2 bad usage.\n");
}

static int parse_options(int argc, char** argv, options_t* options)
{
    enum { OPT_MODE = 256, OPT_MODULES, OPT_COUNT, OPT_IMPL, OPT_HELP };
    static const struct option longs[] = {
        {"mode", required_argument, NULL, OPT_MODE},
        {"modules", required_argument, NULL, OPT_MODULES},
        {"count", required_argument, NULL, OPT_COUNT},
        {"impl", required_argument, NULL, OPT_IMPL},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    *options = (options_t){.mode = MODE_NONE, .count = -1};
    int opt;
    while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        char* end = NULL;
        switch (opt) {
        case OPT_MODE:
            options->mode = strcmp(optarg, "coremod") == 0 ? MODE_COREMOD
                            : strcmp(optarg, "raw") == 0   ? MODE_RAW
                                                           : MODE_NONE;
            break;
        case OPT_MODULES: options->modules_dir = optarg; break;
        case OPT_IMPL: options->impl = optarg; break;
        case OPT_COUNT:
            errno = 0;
            options->count = strtol(optarg, &end, 10);
            if (errno != 0 || end == optarg || *end != '\0' || options->count < 1 ||
                options->count > MAX_COUNT) {
                fprintf(stderr, "coremod-coldstart: --count needs a whole number 1..%d\n",
                        MAX_COUNT);
                return EXIT_USAGE;
            }
            break;
        case OPT_HELP: usage(stdout); return EXIT_SUCCESS;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc || options->mode == MODE_NONE || options->modules_dir == NULL ||
        options->count < 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return -1;
}

static int is_shared_object(const struct dirent* entry)
{
    size_t length = strlen(entry->d_name);
    return length > 3 && strcmp(entry->d_name + length - 3, ".so") == 0;
}

/* The paths of the first `count` *.so files of `dir` in name order; NULL (message printed) when
 * there are fewer. */
static char** module_paths(const char* dir, size_t count)
{
    struct dirent** entries = NULL;
    int found = scandir(dir, &entries, is_shared_object, alphasort);
    if (found < 0) {
        fprintf(stderr, "coremod-coldstart: cannot read %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    char** paths = NULL;
    if ((size_t)found < count) {
        fprintf(stderr, "coremod-coldstart: %s holds %d module(s), --count asks for %zu\n", dir,
                found, count);
    } else {
        paths = calloc(count, sizeof(char*));
        for (size_t i = 0; paths != NULL && i < count; i++) {
            size_t length = strlen(dir) + strlen(entries[i]->d_name) + 2;
            paths[i] = malloc(length);
            if (paths[i] == NULL) {
                fprintf(stderr, "coremod-coldstart: out of memory\n");
                exit(EXIT_USAGE);
            }
            snprintf(paths[i], length, "%s/%s", dir, entries[i]->d_name);
        }
    }
    for (int i = 0; i < found; i++) {
        free(entries[i]);
    }
    free(entries);
    return paths;
}

static int run_coremod(const options_t* options, char** paths)
{
    static candidate_api_t api;
    char err[4096 + 256];
    if (!candidate_bind(&api, options->impl, err, sizeof(err))) {
        fprintf(stderr, "coremod-coldstart: %s\n", err);
        return EXIT_USAGE;
    }
    if (api.module_system_init == NULL || api.module_load == NULL ||
        api.module_system_destroy == NULL) {
        fprintf(stderr, "coremod-coldstart: the candidate does not export module_system_init, "
                        "module_load and module_system_destroy\n");
        return EXIT_LOAD_FAILED;
    }
    module_system_t* system = api.module_system_init(NULL);
    if (system == NULL) {
        fprintf(stderr, "coremod-coldstart: module_system_init failed\n");
        return EXIT_LOAD_FAILED;
    }
    int status = EXIT_SUCCESS;
    for (long i = 0; i < options->count; i++) {
        if (api.module_load(system, paths[i]) == NULL) {
            const char* why =
                api.module_get_error_string != NULL && api.module_get_last_error != NULL
                    ? api.module_get_error_string(api.module_get_last_error())
                    : "unknown error";
            fprintf(stderr, "coremod-coldstart: module_load %s failed: %s\n", paths[i], why);
            status = EXIT_LOAD_FAILED;
            break;
        }
    }
    api.module_system_destroy(system);
    /* The candidate stays mapped until exit, as in a program that uses it (see perf/README.md). */
    return status;
}

static int run_raw(const options_t* options, char** paths)
{
    void** libraries = calloc((size_t)options->count, sizeof(void*));
    if (libraries == NULL) {
        fprintf(stderr, "coremod-coldstart: out of memory\n");
        return EXIT_USAGE;
    }
    int status = EXIT_SUCCESS;
    long opened = 0;
    for (; opened < options->count; opened++) {
        libraries[opened] = dlopen(paths[opened], RTLD_NOW | RTLD_LOCAL);
        if (libraries[opened] == NULL) {
            fprintf(stderr, "coremod-coldstart: dlopen failed: %s\n", dlerror());
            status = EXIT_LOAD_FAILED;
            break;
        }
    }
    for (long i = 0; i < opened; i++) {
        dlclose(libraries[i]);
    }
    free(libraries);
    return status;
}

int main(int argc, char** argv)
{
    options_t options;
    int status = parse_options(argc, argv, &options);
    if (status != -1) {
        return status;
    }
    char** paths = module_paths(options.modules_dir, (size_t)options.count);
    if (paths == NULL) {
        return EXIT_USAGE;
    }
    status = options.mode == MODE_COREMOD ? run_coremod(&options, paths) : run_raw(&options, paths);
    for (long i = 0; i < options.count; i++) {
        free(paths[i]);
    }
    free(paths);
    return status;
}
