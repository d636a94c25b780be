/*
 * cases_load_path.c — path resolution and file identity (SPEC 3.1, 3.4 document; 3.2, 3.11
 * coremod).
 *
 * Two different fixtures under one file name tell which directory a bare name was found in:
 * example_module exports example_function, plain_module exports plain_value.
 */
#include <unistd.h>

#include "conformance.h"

/* Which of the two marker modules `handle` is: 'e' (example_module), 'p' (plain_module). */
static char marker_of(module_handle_t handle)
{
    bool example = CAND(module_get_symbol)(handle, "example_function") != NULL;
    bool plain = CAND(module_get_symbol)(handle, "plain_value") != NULL;
    cr_assert(example != plain,
              "module_get_symbol answers for %s of the two marker modules' symbols "
              "(example_function of example_module, plain_value of plain_module); a handle "
              "looks up in its own module only",
              example ? "both" : "neither");
    return example ? 'e' : 'p';
}

/* dir_e/m.so = example_module, dir_p/m.so = plain_module. */
static void make_marker_dirs(void)
{
    case_mkdir("dir_e");
    case_mkdir("dir_p");
    case_copy(fixture_module("example_module"), "dir_e/m.so");
    case_copy(fixture_module("plain_module"), "dir_p/m.so");
}

CONFORMANCE_CASE(core_load, CORE_LOAD_001, "3.1",
                 "a bare name is found in a directory of the search path")
{
    make_marker_dirs();
    module_system_t* system = case_system_new(case_path("dir_e"), 0);
    module_handle_t handle = CAND(module_load)(system, "m.so");
    cr_assert(handle != NULL,
              "module_load(\"m.so\") with module_search_path %s, which holds "
              "m.so, failed with %s (SPEC 3.1)",
              case_path("dir_e"), error_name(CAND(module_get_last_error)()));
    cr_assert(marker_of(handle) == 'e', "the bare name m.so resolved to another file than %s/m.so",
              case_path("dir_e"));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_002, "3.11",
                 "search path directories are tried in order; the first holding the name wins")
{
    make_marker_dirs();
    case_mkdir("empty");
    module_system_t* ep = case_system_new(
        case_strf("%s:%s:%s", case_path("empty"), case_path("dir_e"), case_path("dir_p")), 0);
    module_system_t* pe = case_system_new(
        case_strf("%s:%s:%s", case_path("empty"), case_path("dir_p"), case_path("dir_e")), 0);
    cr_assert(marker_of(case_load(ep, "m.so")) == 'e',
              "search path empty:dir_e:dir_p did not pick dir_e/m.so");
    cr_assert(marker_of(case_load(pe, "m.so")) == 'p',
              "search path empty:dir_p:dir_e did not pick dir_p/m.so");
    case_system_destroy(ep);
    case_system_destroy(pe);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_003, "3.11",
                 "empty search path elements are skipped, not taken as the current directory")
{
    make_marker_dirs();
    case_copy(fixture_module("example_module"), "here.so");
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());
    module_system_t* system = case_system_new(case_strf("::%s::", case_path("dir_p")), 0);
    cr_assert(marker_of(case_load(system, "m.so")) == 'p',
              "the bare name was not found after empty elements");
    cr_assert(
        CAND(module_load)(system, "here.so") == NULL,
        "a bare name was found in the current directory through an empty search path element");
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "bare name only in the current directory");
    module_system_t* only_empty = case_system_new(":", 0);
    cr_assert(CAND(module_load)(only_empty, "here.so") == NULL,
              "search path \":\" found a bare name in the current directory");
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "search path \":\"");
    case_system_destroy(system);
    case_system_destroy(only_empty);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_004, "3.4",
                 "a bare name not in the search directory fails with FILE_NOT_FOUND")
{
    const char* dir = case_mkdir("only_dir");
    module_system_t* system = case_system_new(dir, 0);
    cr_assert(CAND(module_load)(system, "absent_module.so") == NULL,
              "module_load("
              "\"absent_module.so\") returned a handle although %s holds no such file; expected "
              "NULL with FILE_NOT_FOUND (SPEC 3.4)",
              dir);
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "a bare name in no searched directory");
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_load, CORE_LOAD_011, "3.11",
    "a bare name found nowhere fails with FILE_NOT_FOUND naming the directories searched")
{
    capture_start();
    const char* first = case_mkdir("first_dir");
    const char* second = case_mkdir("second_dir");
    module_system_t* system = case_system_new(case_strf("%s:%s", first, second), 0);
    cr_assert(CAND(module_load)(system, "absent_module.so") == NULL, "a missing bare name loaded");
    const char* message = expect_failure(MODULE_ERROR_FILE_NOT_FOUND, "missing bare name");
    expect_message_contains(message, "absent_module.so", "missing bare name");
    expect_message_contains(message, first, "missing bare name (first directory)");
    expect_message_contains(message, second, "missing bare name (second directory)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_005, "3.1", "an absolute path loads that file")
{
    make_marker_dirs();
    module_system_t* system = case_system_new(case_path("dir_e"), 0);
    module_handle_t absolute = CAND(module_load)(system, case_path("dir_p/m.so"));
    cr_assert(absolute != NULL, "module_load(\"%s\") failed with %s (SPEC 3.1)",
              case_path("dir_p/m.so"), error_name(CAND(module_get_last_error)()));
    cr_assert(marker_of(absolute) == 'p',
              "the absolute path %s resolved to another file (the "
              "search directory's m.so?)",
              case_path("dir_p/m.so"));
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_load, CORE_LOAD_012, "3.11",
    "a path containing '/' is used as given, relative to the current directory, never searched")
{
    make_marker_dirs();
    case_mkdir("cwd/sub");
    case_copy(fixture_module("plain_module"), "cwd/sub/x.so");
    case_mkdir("dir_e/sub");
    case_copy(fixture_module("example_module"), "dir_e/sub/y.so");
    cr_assert(chdir(case_path("cwd")) == 0, "harness: chdir");
    module_system_t* system = case_system_new(case_path("dir_e"), 0);
    module_handle_t relative = case_load(system, "sub/x.so");
    cr_assert(marker_of(relative) == 'p', "sub/x.so did not resolve against the current directory");
    module_handle_t dotted = case_load(system, "./sub/x.so");
    cr_assert(dotted == relative, "./sub/x.so and sub/x.so gave different handles");
    module_handle_t absolute = case_load(system, case_path("dir_p/m.so"));
    cr_assert(marker_of(absolute) == 'p', "an absolute path resolved to another file");
    cr_assert(CAND(module_load)(system, "sub/y.so") == NULL,
              "a path containing '/' was looked up on the search path");
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "sub/y.so (only under a search directory)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_006, "3.11",
                 "the first directory holding an entry of the name wins even if that entry is not "
                 "a valid module")
{
    make_marker_dirs();
    case_mkdir("dir_bad");
    case_write("dir_bad/m.so", "not a module\n", 13);
    module_system_t* system =
        case_system_new(case_strf("%s:%s", case_path("dir_bad"), case_path("dir_e")), 0);
    cr_assert(CAND(module_load)(system, "m.so") == NULL,
              "the search went on past the first directory holding the name");
    expect_last_error(MODULE_ERROR_INVALID_MODULE, "first entry of the name is a text file");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_007, "3.2", "a hard link to a loaded file is the same module")
{
    const char* original = case_copy(fixture_module("example_module"), "original.so");
    const char* linked = case_hardlink(original, "linked.so");
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t a = case_load(system, original);
    module_handle_t b = case_load(system, linked);
    cr_assert(a == b, "a hard link gave a second handle (SPEC 3.2: same device and inode)");
    cr_assert(case_refcount(a) == 2,
              "reference count %u after loading through a hard link, expected 2", case_refcount(a));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_008, "3.2",
                 "a symbolic link to a loaded file is the same module")
{
    const char* original = case_copy(fixture_module("example_module"), "original.so");
    const char* absolute_link = case_symlink(original, "absolute_link.so");
    const char* relative_link = case_symlink("original.so", "relative_link.so");
    const char* chained = case_symlink("relative_link.so", "chained_link.so");
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t a = case_load(system, absolute_link);
    cr_assert(case_load(system, original) == a,
              "the file and a symbolic link to it gave two handles");
    cr_assert(case_load(system, relative_link) == a,
              "a relative symbolic link gave another handle");
    cr_assert(case_load(system, chained) == a, "a chain of symbolic links gave another handle");
    cr_assert(case_refcount(a) == 4, "reference count %u after four loads, expected 4",
              case_refcount(a));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_009, "3.2",
                 "./m.so and m.so found on the search path are the same module")
{
    case_copy(fixture_module("example_module"), "m.so");
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());
    module_system_t* system = case_system_new(".", 0);
    module_handle_t dotted = case_load(system, "./m.so");
    module_handle_t bare = case_load(system, "m.so");
    module_handle_t absolute = case_load(system, case_path("m.so"));
    cr_assert(dotted == bare && bare == absolute, "three paths to one file gave different handles");
    cr_assert(case_refcount(bare) == 3, "reference count %u, expected 3", case_refcount(bare));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_load, CORE_LOAD_010, "3.2",
                 "two different files with identical content are two modules")
{
    const char* one = case_copy(fixture_module("example_module"), "one.so");
    const char* two = case_copy(fixture_module("example_module"), "two.so");
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t a = case_load(system, one);
    module_handle_t b = case_load(system, two);
    cr_assert(a != b, "two files with identical content gave one handle");
    cr_assert(case_refcount(a) == 1 && case_refcount(b) == 1,
              "reference counts %u and %u, expected 1 and 1", case_refcount(a), case_refcount(b));
    void* fa = case_symbol(a, "example_function");
    void* fb = case_symbol(b, "example_function");
    cr_assert(fa != fb, "two distinct module files share one mapping of example_function");
    case_system_destroy(system);
}
