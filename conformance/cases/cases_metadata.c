/*
 * cases_metadata.c — what module_get_info reports from a module's descriptor, and the fallbacks
 * (SPEC 3.7).
 */
#include "conformance.h"

/* The module at `path` loaded in a fresh system: its information. */
static module_info_t info_of(const char* path)
{
    module_system_t* system = case_system_new(NULL, 0);
    module_info_t info = case_info(case_load(system, path));
    case_system_destroy(system);
    return info;
}

static void expect_text(const char* field, const char* actual, const char* expected,
                        const char* module)
{
    cr_assert(strcmp(actual, expected) == 0, "%s: %s is \"%s\", expected \"%s\"", module, field,
              actual, expected);
}

CONFORMANCE_CASE(core_meta, CORE_META_001, "3.7",
                 "a full descriptor fills name, version, description and is_critical")
{
    module_info_t info = info_of(fixture_module("metadata_full"));
    expect_text("name", info.name, "metadata_full", "metadata_full");
    expect_text("version", info.version, "2.5.1", "metadata_full");
    expect_text("description", info.description, "A module that declares everything",
                "metadata_full");
    cr_assert(info.is_critical, "metadata_full: is_critical is false; the descriptor says true");
}

CONFORMANCE_CASE(core_meta, CORE_META_002, "3.7",
                 "over-long descriptor strings are truncated to the field size and NUL-terminated")
{
    /* Fill the output with non-NUL bytes first: a missing terminator is then visible. */
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("metadata_long"));
    module_info_t info;
    memset(&info, 'X', sizeof(info));
    cr_assert(CAND(module_get_info)(handle, &info),
              "module_get_info of a loaded module returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    struct {
        const char* field;
        const char* value;
        size_t size;
        char fill;
    } fields[] = {
        {"name", info.name, sizeof(info.name), 'n'},
        {"version", info.version, sizeof(info.version), 'v'},
        {"description", info.description, sizeof(info.description), 'd'},
    };
    for (size_t f = 0; f < 3; f++) {
        cr_assert(memchr(fields[f].value, '\0', fields[f].size) != NULL,
                  "metadata_long: %s is not NUL-terminated within its %zu bytes", fields[f].field,
                  fields[f].size);
        size_t length = strlen(fields[f].value);
        cr_assert(length == fields[f].size - 1,
                  "metadata_long: %s has %zu characters, expected "
                  "%zu (truncated to the field size)",
                  fields[f].field, length, fields[f].size - 1);
        for (size_t i = 0; i < length; i++) {
            cr_assert(fields[f].value[i] == fields[f].fill,
                      "metadata_long: %s[%zu] is '%c', "
                      "expected '%c'",
                      fields[f].field, i, fields[f].value[i], fields[f].fill);
        }
    }
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_meta, CORE_META_003, "3.7",
                 "a descriptor of another ABI version is ignored: base-name fallbacks")
{
    module_info_t info = info_of(fixture_module("metadata_bad_abi"));
    expect_text("name", info.name, "metadata_bad_abi", "metadata_bad_abi");
    expect_text("version", info.version, "", "metadata_bad_abi");
    expect_text("description", info.description, "", "metadata_bad_abi");
    cr_assert(!info.is_critical,
              "metadata_bad_abi: is_critical is true; an ignored descriptor gives false");
}

CONFORMANCE_CASE(core_meta, CORE_META_004, "3.7",
                 "NULL descriptor strings fall back individually; is_critical is still read")
{
    module_info_t info = info_of(fixture_module("metadata_nulls"));
    expect_text("name", info.name, "metadata_nulls", "metadata_nulls");
    expect_text("version", info.version, "", "metadata_nulls");
    expect_text("description", info.description, "", "metadata_nulls");
    cr_assert(info.is_critical, "metadata_nulls: is_critical is false; the descriptor says true");
}

CONFORMANCE_CASE(core_meta, CORE_META_005, "3.7",
                 "a module without a descriptor is named after its file without the last extension")
{
    const char* plain = fixture_module("plain_module");
    module_info_t info = info_of(plain);
    expect_text("name", info.name, "plain_module", "plain_module");
    expect_text("version", info.version, "", "plain_module");
    expect_text("description", info.description, "", "plain_module");
    cr_assert(!info.is_critical, "plain_module: is_critical is true without a descriptor");

    expect_text("name", info_of(case_copy(plain, "renamed.v2.so")).name, "renamed.v2",
                "renamed.v2.so");
    expect_text("name", info_of(case_copy(plain, "no_extension")).name, "no_extension",
                "no_extension");
    case_mkdir("dotted.dir");
    expect_text("name", info_of(case_copy(plain, "dotted.dir/inner")).name, "inner",
                "dotted.dir/inner");
}

CONFORMANCE_CASE(core_meta, CORE_META_006, "3.7",
                 "a long file base name without a descriptor is truncated to 63 characters")
{
    char base[101];
    memset(base, 'b', 100);
    base[100] = '\0';
    const char* path = case_copy(fixture_module("plain_module"), case_strf("%s.so", base));
    module_info_t info = info_of(path);
    cr_assert(strlen(info.name) == sizeof(info.name) - 1 && strncmp(info.name, base, 63) == 0,
              "a 100-character base name gave name \"%s\" (%zu characters), expected its first 63",
              info.name, strlen(info.name));
}

CONFORMANCE_CASE(core_meta, CORE_META_007, "3.7",
                 "modules with distinct descriptors report their own versions")
{
    module_info_t renderer = info_of(fixture_module("graphics_renderer"));
    module_info_t engine = info_of(fixture_module("ai_engine"));
    expect_text("name", renderer.name, "graphics_renderer", "graphics_renderer");
    expect_text("version", renderer.version, "1.2.0", "graphics_renderer");
    cr_assert(renderer.is_critical,
              "graphics_renderer: is_critical is false; the descriptor says true");
    expect_text("name", engine.name, "ai_engine", "ai_engine");
    expect_text("version", engine.version, "3.0.1", "ai_engine");
    cr_assert(!engine.is_critical, "ai_engine: is_critical is true; the descriptor says false");
}
