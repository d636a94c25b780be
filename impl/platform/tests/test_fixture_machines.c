/*
 * test_fixture_machines.c — detection on every recorded machine in fixtures/topology/ equals its
 * expected.json, field by field, both in-process and through the `coremod-topology` executable.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "json_mini.h"
#include "platform_topology.h"
#include "platform_topology_views.h"
#include "test_support.h"
#include "topology_json.h"

#define MAX_FIXTURES 64

typedef struct {
    char name[256];
} fixture_t;

static fixture_t fixtures[MAX_FIXTURES];
static size_t n_fixtures;

/* Every key except "source", whose path depends on where the tree is checked out. */
static const char* const ignored_keys[] = {"source", NULL};

static int by_name(const void* a, const void* b)
{
    return strcmp(((const fixture_t*)a)->name, ((const fixture_t*)b)->name);
}

static void list_fixtures(void)
{
    if (n_fixtures)
        return;
    DIR* dir = opendir(test_fixtures_dir());
    if (!dir)
        return;
    struct dirent* e;
    while ((e = readdir(dir)) != NULL && n_fixtures < MAX_FIXTURES) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s/" COREMOD_REPLAY_EXPECTED_NAME, test_fixtures_dir(),
                 e->d_name);
        if (e->d_name[0] != '.' && stat(path, &st) == 0)
            snprintf(fixtures[n_fixtures++].name, sizeof fixtures[0].name, "%s", e->d_name);
    }
    closedir(dir);
    qsort(fixtures, n_fixtures, sizeof fixtures[0], by_name);
}

/* The replay source of a fixture: its sysfs tree or its sysctl dump (coremod_replay.h). */
static platform_source_t fixture_source(const char* name, char* path, size_t len)
{
    struct stat st;
    snprintf(path, len, "%s/%s/" COREMOD_REPLAY_SYSFS_DIR, test_fixtures_dir(), name);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return (platform_source_t){PLATFORM_SOURCE_REPLAY_SYSFS, path};
    snprintf(path, len, "%s/%s/" COREMOD_REPLAY_SYSCTL_NAME, test_fixtures_dir(), name);
    return (platform_source_t){PLATFORM_SOURCE_REPLAY_SYSCTL, path};
}

static json_value_t* load_expected(const char* name)
{
    char path[4096], error[128];
    snprintf(path, sizeof path, "%s/%s/" COREMOD_REPLAY_EXPECTED_NAME, test_fixtures_dir(), name);
    char* text = test_read_file(path);
    cr_assert_not_null(text, "cannot read %s", path);
    json_value_t* v = json_parse(text, error, sizeof error);
    free(text);
    cr_assert_not_null(v, "%s: %s", path, error);
    return v;
}

static json_value_t* detect_json(const platform_source_t* source, platform_topology_t** keep)
{
    platform_topology_t* t = NULL;
    platform_status_t st = platform_topology_build(source, &t);
    cr_assert_eq(st, PLATFORM_OK, "%s: %s: %s", source->path, platform_status_name(st),
                 platform_last_error());
    char* text = NULL;
    cr_assert_eq(platform_topology_to_json(t, &text), PLATFORM_OK);
    char error[128];
    json_value_t* v = json_parse(text, error, sizeof error);
    cr_assert_not_null(v, "the writer produced invalid JSON (%s):\n%s", error, text);
    free(text);
    if (keep)
        *keep = t;
    else
        platform_topology_free(t);
    return v;
}

ParameterizedTestParameters(fixture_machines, detection_equals_expected)
{
    list_fixtures();
    return cr_make_param_array(fixture_t, fixtures, n_fixtures);
}

ParameterizedTest(fixture_t* f, fixture_machines, detection_equals_expected)
{
    char path[4096], diff[1024];
    platform_source_t source = fixture_source(f->name, path, sizeof path);
    platform_topology_t* t;
    json_value_t* actual = detect_json(&source, &t);
    json_value_t* expected = load_expected(f->name);
    bool same = json_equal(expected, actual, ignored_keys, diff, sizeof diff);
    cr_expect(same, "%s: %s", f->name, diff);

    char want[4200];
    snprintf(want, sizeof want, "%s:%s", platform_source_kind_name(source.kind), path);
    cr_expect_str_eq(t->source, want);

    /* The views and the model agree with each other on every machine. */
    numa_topology_info_t numa;
    platform_view_numa(t, &numa);
    cr_expect_eq(numa.p_core_count + numa.e_core_count, numa.total_cores, "%s", f->name);
    uint32_t in_kinds = 0;
    for (uint32_t k = 0; k < t->n_kinds; k++)
        in_kinds += t->kinds[k].count;
    cr_expect_eq(in_kinds, t->n_online, "%s", f->name);
    json_free(expected);
    json_free(actual);
    platform_topology_free(t);
}

/* Runs the tool with the fixture named in its environment; returns its stdout. */
static char* run_tool(const platform_source_t* source, const char* arg, int* exit_code)
{
    const char* var = source->kind == PLATFORM_SOURCE_REPLAY_SYSFS ? COREMOD_SYSFS_ROOT_ENV
                                                                   : COREMOD_SYSCTL_FILE_ENV;
    unsetenv(COREMOD_SYSFS_ROOT_ENV);
    unsetenv(COREMOD_SYSCTL_FILE_ENV);
    setenv(var, source->path, 1);
    char command[4200];
    snprintf(command, sizeof command, "'%s' %s", COREMOD_TOPOLOGY_TOOL, arg);
    FILE* p = popen(command, "r");
    cr_assert_not_null(p);
    size_t cap = 1 << 16, n = 0, got;
    char* out = malloc(cap);
    cr_assert_not_null(out);
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap)
            cr_assert_not_null(out = realloc(out, cap *= 2));
    }
    out[n] = '\0';
    int status = pclose(p);
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    unsetenv(var);
    return out;
}

ParameterizedTestParameters(fixture_machines, tool_prints_expected)
{
    list_fixtures();
    return cr_make_param_array(fixture_t, fixtures, n_fixtures);
}

ParameterizedTest(fixture_t* f, fixture_machines, tool_prints_expected)
{
    char path[4096], diff[1024], error[128];
    platform_source_t source = fixture_source(f->name, path, sizeof path);
    int code;
    char* out = run_tool(&source, "--json", &code);
    cr_assert_eq(code, 0, "coremod-topology failed on %s", f->name);
    json_value_t* actual = json_parse(out, error, sizeof error);
    cr_assert_not_null(actual, "tool output is not JSON (%s)", error);
    json_value_t* expected = load_expected(f->name);
    cr_expect(json_equal(expected, actual, ignored_keys, diff, sizeof diff), "%s: %s", f->name,
              diff);
    json_free(expected);
    json_free(actual);
    free(out);

    /* The text form names the source and every kind. */
    out = run_tool(&source, "", &code);
    cr_assert_eq(code, 0);
    cr_expect(strstr(out, path) != NULL, "text output does not name the source:\n%s", out);
    cr_expect(strstr(out, "kind 0 [P]") != NULL, "text output has no kind 0:\n%s", out);
    free(out);
}

Test(fixture_machines, at_least_ten_machines)
{
    list_fixtures();
    cr_assert_geq(n_fixtures, 10, "only %zu fixture machines in %s", n_fixtures,
                  test_fixtures_dir());
}

/* The comparison is strict: one changed value, one missing and one extra field are each caught. */
Test(fixture_machines, comparison_catches_differences)
{
    char path[4096], diff[1024];
    list_fixtures();
    cr_assert_geq(n_fixtures, 1);
    platform_source_t source = fixture_source("macos-m2-monterey", path, sizeof path);
    json_value_t* actual = detect_json(&source, NULL);
    json_value_t* expected = load_expected("macos-m2-monterey");
    cr_assert(json_equal(expected, actual, ignored_keys, diff, sizeof diff), "%s", diff);

    json_value_t* info = (json_value_t*)json_get(expected, "apple_silicon_info");
    json_value_t* generation = (json_value_t*)json_get(info, "generation");
    generation->number = 3;
    cr_assert_not(json_equal(expected, actual, ignored_keys, diff, sizeof diff));
    cr_expect_str_eq(diff, ".apple_silicon_info.generation: expected 3, got 2");
    generation->number = 2;

    free(info->keys[0]);
    info->keys[0] = strdup("generation_renamed");
    cr_assert_not(json_equal(expected, actual, ignored_keys, diff, sizeof diff));
    cr_expect(strstr(diff, "generation_renamed: missing") != NULL, "%s", diff);
    json_free(expected);
    json_free(actual);
}
