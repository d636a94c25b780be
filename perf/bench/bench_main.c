/*
 * bench_main.c — coremod-bench: options, set-up, and the run of the selected families.
 *
 * The runner runs the selected families, each of which hands back one result per operation
 * (bench_result.h). As each result arrives the runner has callgrind dump what it collected for it
 * (--metric instructions) and passes it to the one reporter (bench_report.h), which writes raw
 * samples (schema coremod-bench/1). It draws no conclusion. Its exit status says only whether it
 * could run: 0 results written (operations may still carry the candidate's errors), 2 it could
 * not run (bad option, candidate library not loadable, fixture missing, results not writable).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_copies.h"
#include "bench_instructions.h"
#include "bench_operations.h"
#include "bench_report.h"
#include "bench_timer.h"

#ifndef COREMOD_BENCH_FIXTURES_DIR
#error "COREMOD_BENCH_FIXTURES_DIR must name the fixtures build directory (set by perf/meson.build)"
#endif

#define EXIT_CANNOT_RUN 2

#define FIXTURE_MODULE "modules/example_module.so"
#define FIXTURE_SYMBOL "example_function"

/* Counts: a default run stays around a minute on a 2-core VM, --quick a few seconds. */
#define DEFAULT_SAMPLES 1000
#define DEFAULT_WARMUP 50
#define QUICK_SAMPLES 30
#define QUICK_WARMUP 5
#define SCALE_MODULES 1000
#define SCALE_SAMPLES 5
#define SCALE_WARMUP 1
#define QUICK_SCALE_MODULES 100
#define QUICK_SCALE_SAMPLES 1
#define QUICK_SCALE_WARMUP 0
#define CONCURRENT_THREADS 4
#define MAX_COUNT 1000000

/* The families and operations of bench_operations.h, expanded. */
#define COPIES true
#define NO_COPIES false
#define COUNTABLE true
#define NOT_COUNTABLE false

typedef enum {
#define FAMILY_ENUM(family, copies, countable) FAMILY_##family,
    BENCH_FAMILIES(FAMILY_ENUM)
#undef FAMILY_ENUM
        FAMILY_COUNT
} family_id_t;

typedef struct {
    const char* name;
    bench_family_fn* run;
    bool needs_copies;
    bool countable;
} family_t;

static const family_t families[FAMILY_COUNT] = {
#define FAMILY_ROW(family, copies, countable) {#family, bench_family_##family, copies, countable},
    BENCH_FAMILIES(FAMILY_ROW)
#undef FAMILY_ROW
};

typedef struct {
    const char* name;
    family_id_t family;
    const char* kind; /* as --list prints it: time, every_sample, cold */
} operation_t;

#define KIND_TIME "time"
#define KIND_EVERY_SAMPLE "every_sample"
#define KIND_COLD "cold"

static const operation_t operations[] = {
#define OPERATION_ROW(operation, family, kind) {#operation, FAMILY_##family, KIND_##kind},
    BENCH_OPERATIONS(OPERATION_ROW)
#undef OPERATION_ROW
};
#define OPERATION_COUNT (sizeof(operations) / sizeof(operations[0]))

/* The family's first operation: how the progress lines and errors name it. */
static const char* family_label(size_t f)
{
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        if (operations[i].family == (family_id_t)f) {
            return operations[i].name;
        }
    }
    return families[f].name;
}

/* --list: one line per operation, tab-separated: operation, family, kind, countable or
 * not_countable (read by tests/test_operations.py against bench_operations.h). */
static void list_operations(FILE* to)
{
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        const family_t* family = &families[operations[i].family];
        fprintf(to, "%s\t%s\t%s\t%s\n", operations[i].name, family->name, operations[i].kind,
                family->countable ? "countable" : "not_countable");
    }
}

typedef struct {
    const char* impl;
    const char* fixtures;
    const char* out;
    long samples; /* -1: not given */
    long warmup;  /* -1: not given */
    bool quick;
    bool count_instructions; /* --metric instructions */
    const char* copies_dir;  /* --copies-dir; NULL: a fresh mkdtemp directory */
    bool selected[FAMILY_COUNT];
} options_t;

static void usage(FILE* to)
{
    fprintf(
        to,
        "usage: coremod-bench [options]\n"
        "\n"
        "Measures the core Module System API of a candidate implementation and writes raw\n"
        "samples as JSON (schema " BENCH_SCHEMA "). Verdicts are made by `coremod`, not here.\n"
        "\n"
        "  --impl PATH        candidate shared library (default: $" CANDIDATE_ENV ")\n"
        "  --fixtures DIR     fixtures build directory holding " FIXTURE_MODULE "\n"
        "                     (default: $COREMOD_FIXTURES_DIR, else " COREMOD_BENCH_FIXTURES_DIR
        ")\n"
        "  --out FILE         results file; '-' is standard output (default: -)\n"
        "  --samples N        kept samples per timed operation (default %d; --quick: %d)\n"
        "  --warmup N         discarded iterations before them (default %d; --quick: %d)\n"
        "  --only NAME[,NAME] measure only these operations (--list names them; the\n"
        "                     operations of one family are measured together)\n"
        "  --list             print the operations, one per line: name, family, kind\n"
        "                     (time, every_sample, cold), countable or not_countable\n"
        "  --quick            small counts for tests: also %d instead of %d modules and %d run(s)\n"
        "                     instead of %d for memory_per_module and concurrent_modules\n"
        "                     (too few modules for their gates)\n"
        "  --metric time|instructions\n"
        "                     instructions: run under valgrind --tool=callgrind\n"
        "                     --collect-atstart=no; collects only the candidate's timed runs and\n"
        "                     dumps them per operation (timed operations only, without the\n"
        "                     platform-loader twin)\n"
        "  --copies-dir DIR   write the module copies into DIR (created; must not exist)\n"
        "                     instead of a fresh $TMPDIR/coremod-bench.XXXXXX\n"
        "  --help             this text\n"
        "\n"
        "Exit status: 0 results written (operations may record the candidate's errors);\n"
        "2 the runner could not run.\n",
        DEFAULT_SAMPLES, QUICK_SAMPLES, DEFAULT_WARMUP, QUICK_WARMUP, QUICK_SCALE_MODULES,
        SCALE_MODULES, QUICK_SCALE_SAMPLES, SCALE_SAMPLES);
}

static bool parse_count(const char* text, long minimum, long* value)
{
    char* end = NULL;
    errno = 0;
    long parsed = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || parsed < minimum || parsed > MAX_COUNT) {
        return false;
    }
    *value = parsed;
    return true;
}

/* Marks the families named in a comma-separated list; false on an unknown name. */
static bool select_families(options_t* options, const char* list)
{
    char* copy = strdup(list);
    if (copy == NULL) {
        return false;
    }
    bool ok = true;
    char* saved = NULL;
    for (char* name = strtok_r(copy, ",", &saved); name != NULL;
         name = strtok_r(NULL, ",", &saved)) {
        bool known = false;
        for (size_t i = 0; i < OPERATION_COUNT; i++) {
            if (strcmp(name, operations[i].name) == 0) {
                options->selected[operations[i].family] = true;
                known = true;
            }
        }
        if (!known) {
            fprintf(stderr, "coremod-bench: unknown operation '%s' in --only (see --help)\n", name);
            ok = false;
        }
    }
    free(copy);
    return ok;
}

#define GO_ON (-1)

/* Returns GO_ON to run, EXIT_SUCCESS after --help, EXIT_CANNOT_RUN on a bad option. */
static int parse_options(int argc, char** argv, options_t* options)
{
    enum {
        OPT_IMPL = 256,
        OPT_FIXTURES,
        OPT_OUT,
        OPT_SAMPLES,
        OPT_WARMUP,
        OPT_ONLY,
        OPT_QUICK,
        OPT_HELP,
        OPT_METRIC,
        OPT_COPIES_DIR,
        OPT_LIST
    };
    static const struct option longs[] = {
        {"impl", required_argument, NULL, OPT_IMPL},
        {"fixtures", required_argument, NULL, OPT_FIXTURES},
        {"out", required_argument, NULL, OPT_OUT},
        {"samples", required_argument, NULL, OPT_SAMPLES},
        {"warmup", required_argument, NULL, OPT_WARMUP},
        {"only", required_argument, NULL, OPT_ONLY},
        {"quick", no_argument, NULL, OPT_QUICK},
        {"help", no_argument, NULL, OPT_HELP},
        {"metric", required_argument, NULL, OPT_METRIC},
        {"copies-dir", required_argument, NULL, OPT_COPIES_DIR},
        {"list", no_argument, NULL, OPT_LIST},
        {NULL, 0, NULL, 0},
    };
    *options = (options_t){.out = "-", .samples = -1, .warmup = -1};
    bool any_selected = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
        case OPT_IMPL: options->impl = optarg; break;
        case OPT_FIXTURES: options->fixtures = optarg; break;
        case OPT_OUT: options->out = optarg; break;
        case OPT_QUICK: options->quick = true; break;
        case OPT_HELP: usage(stdout); return EXIT_SUCCESS;
        case OPT_LIST: list_operations(stdout); return EXIT_SUCCESS;
        case OPT_COPIES_DIR: options->copies_dir = optarg; break;
        case OPT_METRIC:
            if (strcmp(optarg, "time") != 0 && strcmp(optarg, "instructions") != 0) {
                fprintf(stderr, "coremod-bench: --metric is 'time' or 'instructions'\n");
                return EXIT_CANNOT_RUN;
            }
            options->count_instructions = strcmp(optarg, "instructions") == 0;
            break;
        case OPT_SAMPLES:
            if (!parse_count(optarg, 1, &options->samples)) {
                fprintf(stderr, "coremod-bench: --samples needs a whole number 1..%d\n", MAX_COUNT);
                return EXIT_CANNOT_RUN;
            }
            break;
        case OPT_WARMUP:
            if (!parse_count(optarg, 0, &options->warmup)) {
                fprintf(stderr, "coremod-bench: --warmup needs a whole number 0..%d\n", MAX_COUNT);
                return EXIT_CANNOT_RUN;
            }
            break;
        case OPT_ONLY:
            if (!select_families(options, optarg)) {
                return EXIT_CANNOT_RUN;
            }
            any_selected = true;
            break;
        default: usage(stderr); return EXIT_CANNOT_RUN;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "coremod-bench: unexpected argument '%s' (see --help)\n", argv[optind]);
        return EXIT_CANNOT_RUN;
    }
    for (size_t f = 0; f < FAMILY_COUNT && !any_selected; f++) {
        options->selected[f] = !options->count_instructions || families[f].countable;
    }
    for (size_t f = 0; f < FAMILY_COUNT && options->count_instructions; f++) {
        if (options->selected[f] && !families[f].countable) {
            fprintf(stderr, "coremod-bench: %s cannot be measured with --metric instructions\n",
                    family_label(f));
            return EXIT_CANNOT_RUN;
        }
    }
    return GO_ON;
}

/* The members of the results file before "operations". */
static bench_report_header_t report_header(const candidate_api_t* api, const char* fixtures,
                                           const options_t* options, char* absolute)
{
    return (bench_report_header_t){
        /* The absolute path, so that the reader hashes and names the very file that was
         * measured. */
        .candidate = absolute != NULL ? absolute : api->path,
        .fixtures = fixtures,
        .quick = options->quick,
        .count_instructions = options->count_instructions,
        .timer_source = bench_timer_source(),
        .timer_resolution_ns = bench_timer_resolution_ns(),
        .timer_overhead_ns = bench_timer_overhead_ns(),
    };
}

/* Writes the finished results to `path` ('-': stdout); a file is replaced atomically, so a reader
 * never sees half a results file. */
static bool save_results(const char* path, const char* text, size_t size)
{
    if (strcmp(path, "-") == 0) {
        return fwrite(text, 1, size, stdout) == size && fflush(stdout) == 0;
    }
    size_t length = strlen(path) + 32;
    char* temporary = malloc(length);
    if (temporary == NULL) {
        return false;
    }
    snprintf(temporary, length, "%s.tmp.%ld", path, (long)getpid());
    FILE* out = fopen(temporary, "w");
    bool ok = out != NULL && fwrite(text, 1, size, out) == size;
    ok = (out != NULL && fclose(out) == 0) && ok;
    ok = ok && rename(temporary, path) == 0;
    if (!ok) {
        fprintf(stderr, "coremod-bench: cannot write %s: %s\n", path, strerror(errno));
        unlink(temporary);
    }
    free(temporary);
    return ok;
}

/* Whether a selected family that needs copies measures an operation of `kind`. */
static bool selected_needs_copies(const options_t* options, const char* kind)
{
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        const operation_t* op = &operations[i];
        if (options->selected[op->family] && families[op->family].needs_copies &&
            strcmp(op->kind, kind) == 0) {
            return true;
        }
    }
    return false;
}

static bool any_needs_copies(const options_t* options)
{
    for (size_t f = 0; f < FAMILY_COUNT; f++) {
        if (options->selected[f] && families[f].needs_copies) {
            return true;
        }
    }
    return false;
}

/* What the runner keeps while the families run. */
typedef struct {
    const options_t* options;
    bench_report_t report;
} runner_t;

/* A family finished an operation. Counting instructions: callgrind collects only inside the kept
 * timed runs (bench_sampler.c), so what it holds now is this operation's, and nothing of the next
 * one yet; the dump is named after the operation (scripts/coremodlib/instructions.py matches
 * "Trigger: Client Request: <operation>" with the results) and counting starts again from zero.
 * That is between families for every family of one operation, and between the two operations of
 * the symbol family (module_get_symbol, then module_get_symbol_cold). An operation that could not
 * be measured at all collected nothing and gets no dump. Then the result goes to the reporter. */
static void handle_result(bench_results_t* results, const bench_run_t* run)
{
    runner_t* runner = results->runner;
    if (runner->options->count_instructions && !run->unavailable) {
        bench_instructions_dump(run->name);
    }
    bench_report_run(&runner->report, run);
}

static void run_families(const options_t* options, const bench_context_t* ctx,
                         bench_results_t* results)
{
    for (size_t f = 0; f < FAMILY_COUNT; f++) {
        if (!options->selected[f]) {
            continue;
        }
        fprintf(stderr, "coremod-bench: %s ...", family_label(f));
        uint64_t start = bench_timer_now_ns();
        families[f].run(ctx, results);
        fprintf(stderr, " %.2f s\n", (double)(bench_timer_now_ns() - start) / 1e9);
    }
}

/* Everything after option parsing; returns the exit status. */
static int run(const options_t* options)
{
    const char* fixtures = options->fixtures;
    if (fixtures == NULL) {
        fixtures = getenv("COREMOD_FIXTURES_DIR");
    }
    if (fixtures == NULL || fixtures[0] == '\0') {
        fixtures = COREMOD_BENCH_FIXTURES_DIR;
    }
    char module_path[4096];
    int n = snprintf(module_path, sizeof(module_path), "%s/%s", fixtures, FIXTURE_MODULE);
    if (n < 0 || (size_t)n >= sizeof(module_path) || access(module_path, R_OK) != 0) {
        fprintf(stderr, "coremod-bench: fixture %s/%s not found: build the fixtures first\n",
                fixtures, FIXTURE_MODULE);
        return EXIT_CANNOT_RUN;
    }
    static candidate_api_t api;
    char err[4096 + 256];
    if (options->count_instructions && !bench_instructions_enable(err, sizeof(err))) {
        fprintf(stderr, "coremod-bench: %s\n", err);
        return EXIT_CANNOT_RUN;
    }
    if (!candidate_bind(&api, options->impl, err, sizeof(err))) {
        fprintf(stderr, "coremod-bench: %s\n", err);
        return EXIT_CANNOT_RUN;
    }
    bench_context_t ctx = {
        .api = &api,
        .module_path = module_path,
        .symbol_name = FIXTURE_SYMBOL,
        .samples =
            (size_t)(options->samples >= 0 ? options->samples
                                           : (options->quick ? QUICK_SAMPLES : DEFAULT_SAMPLES)),
        .warmup = (size_t)(options->warmup >= 0 ? options->warmup
                                                : (options->quick ? QUICK_WARMUP : DEFAULT_WARMUP)),
        .scale_modules = options->quick ? QUICK_SCALE_MODULES : SCALE_MODULES,
        .scale_samples = options->quick ? QUICK_SCALE_SAMPLES : SCALE_SAMPLES,
        .scale_warmup = options->quick ? QUICK_SCALE_WARMUP : SCALE_WARMUP,
        .threads = CONCURRENT_THREADS,
    };
    bench_copies_t copies = {0};
    if (any_needs_copies(options)) {
        /* Copies only for the kinds selected: a process of the time gates alone makes no 1000
         * scale copies (0.8 s of a round on the 2-core VM), a process of the scale families no
         * per-iteration ones. Counting instructions never runs the scale families. */
        bool timed = selected_needs_copies(options, KIND_TIME);
        bool scale =
            selected_needs_copies(options, KIND_EVERY_SAMPLE) && !options->count_instructions;
        ctx.copies_per_side = bench_copies_needed(timed ? ctx.warmup : 0, timed ? ctx.samples : 0,
                                                  scale ? ctx.scale_modules : 0);
        bench_copies_use_directory(options->copies_dir);
        if (!bench_copies_create(&copies, module_path, 2 * ctx.copies_per_side, err, sizeof(err))) {
            fprintf(stderr, "coremod-bench: %s\n", err);
            candidate_unbind(&api);
            return EXIT_CANNOT_RUN;
        }
        ctx.copies = &copies;
    }
    /* The results go to memory first and to `out` only when complete (save_results). */
    char* text = NULL;
    size_t size = 0;
    FILE* buffer = open_memstream(&text, &size);
    runner_t runner = {.options = options};
    char* absolute = realpath(api.path, NULL);
    bench_report_header_t header = report_header(&api, fixtures, options, absolute);
    bench_report_begin(&runner.report, buffer, &header);
    free(absolute);
    bench_results_t results = {.handle = handle_result, .runner = &runner};

    bench_candidate_capture_errors(&api);
    run_families(options, &ctx, &results);
    bool written = bench_report_end(&runner.report);
    bench_candidate_release_errors(&api);

    bench_copies_remove(&copies);
    /* The candidate stays mapped until the process exits, as it would in a program using it. An
     * implementation may keep process-lifetime tables (SPEC 1.3 forbids reusing a handle value
     * within the process lifetime); dlclose would unmap the pointers to them and make valgrind
     * report them as lost, which is neither the runner's leak nor the candidate's. */
    if (buffer != NULL && fclose(buffer) != 0) {
        written = false;
    }
    if (!written) {
        fprintf(stderr, "coremod-bench: internal error while formatting the results\n");
    }
    written = written && save_results(options->out, text, size);
    free(text);
    return written ? EXIT_SUCCESS : EXIT_CANNOT_RUN;
}

int main(int argc, char** argv)
{
    options_t options;
    int status = parse_options(argc, argv, &options);
    if (status != GO_ON) {
        return status;
    }
    bench_timer_init(); /* the TSC's calibration (20 ms) happens before anything is timed */
    return run(&options);
}
