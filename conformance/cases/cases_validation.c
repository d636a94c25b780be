/*
 * cases_validation.c — files that are not modules (SPEC 3.4, document) and the checks made before
 * any module code runs (SPEC 3.12, coremod).
 *
 * The document-level cases check only the error code of each bad file. CORE-VAL-016 checks the
 * rest for the same files, at coremod level: one callback naming the path with a reason, and
 * nothing left mapped (the platform loader is asked with RTLD_NOLOAD).
 */
#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance.h"

/* Document level (SPEC 3.4): module_load(path) returns NULL and the last error is `code`. */
static void expect_refused(const char* path, module_error_t code, const char* what)
{
    module_system_t* system = case_system_new(NULL, 0);
    case_step("loading %s (%s)", what, path);
    module_handle_t handle = CAND(module_load)(system, path);
    cr_assert(handle == NULL,
              "module_load of %s (%s) returned a handle; expected NULL with %s "
              "(SPEC 3.4)",
              what, path, error_name(code));
    expect_last_error(code, case_strf("module_load of %s", what));
    case_system_destroy(system);
}

/* Coremod level (SPEC 3.12, 7.7, 7.4): module_load(system, path) fails with `code`, the callback
 * is called once with a message naming the path and giving a reason, and the file is not mapped
 * afterwards. Returns the message. */
static const char* expect_rejected_in(module_system_t* system, const char* path,
                                      module_error_t code, const char* what)
{
    if (!capture_active()) {
        capture_start();
    }
    capture_take(NULL);
    case_step("loading %s (%s)", what, path);
    module_handle_t handle = CAND(module_load)(system, path);
    cr_assert(handle == NULL,
              "module_load of %s (%s) returned a handle; expected NULL with %s "
              "(SPEC 3.4, 3.12)",
              what, path, error_name(code));
    const char* message = expect_failure(code, what);
    const char* named = expect_message_names_path(message, path, what);
    expect_message_gives_reason(message, named, what);
    cr_assert(!raw_is_mapped(path),
              "%s (%s) is mapped after its rejection (SPEC 3.12: it is "
              "checked before the platform loader opens it)",
              what, path);
    return message;
}

/* expect_rejected_in, in a system of its own. */
static const char* expect_rejected(const char* path, module_error_t code, const char* what)
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* message = expect_rejected_in(system, path, code, what);
    case_system_destroy(system);
    return message;
}

CONFORMANCE_CASE(core_validation, CORE_VAL_001, "3.4", "a missing file fails with FILE_NOT_FOUND")
{
    expect_refused(case_path("missing_module.so"), MODULE_ERROR_FILE_NOT_FOUND, "a missing file");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_002, "3.12",
                 "a dangling symbolic link fails with FILE_NOT_FOUND")
{
    const char* link = case_symlink(case_path("no_such_target.so"), "dangling.so");
    expect_rejected(link, MODULE_ERROR_FILE_NOT_FOUND, "a dangling symbolic link");
}

/* Makes this case process unprivileged (uid/gid 65534) so that file modes apply; the case
 * directory is handed to that user first so the case can still clean up. */
static void drop_root_privileges(void)
{
    const unsigned nobody = 65534;
    case_tmpdir_chown(nobody, nobody);
    if (setgroups(0, NULL) != 0 || setresgid(nobody, nobody, nobody) != 0 ||
        setresuid(nobody, nobody, nobody) != 0) {
        conformance_not_supported("running as root, which reads any file, and cannot drop to uid "
                                  "%u: %s",
                                  nobody, strerror(errno));
    }
}

CONFORMANCE_CASE(
    core_validation, CORE_VAL_003, "3.12",
    "a file that cannot be read because of its permissions fails with SECURITY_VIOLATION")
{
    const char* path = case_copy(fixture_bad("no_read.so"), "no_read.so");
    cr_assert(chmod(path, 0) == 0, "harness: chmod 000 %s: %s", path, strerror(errno));
    /* The system is made while this process may still be root: whatever the candidate does on
     * first use (open its own dependencies, say from under /root, where only root may look) is
     * not what this case is about; the module file's mode is. */
    module_system_t* system = case_system_new(NULL, 0);
    /* Root reads any file whatever its mode; this case runs in its own process, so it can give up
     * root for good instead of not testing the clause. */
    if (geteuid() == 0) {
        drop_root_privileges();
    }
    if (access(path, R_OK) == 0) {
        conformance_not_supported("a mode 000 file is still readable here (capabilities?)");
    }
    expect_rejected_in(system, path, MODULE_ERROR_SECURITY_VIOLATION, "a file with mode 000");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_validation, CORE_VAL_004, "3.4", "a directory fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("dir_module.so"), MODULE_ERROR_INVALID_MODULE, "a directory");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_005, "3.4", "an empty file fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("empty.so"), MODULE_ERROR_INVALID_MODULE, "an empty file");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_006, "3.4",
                 "a text file (bad magic) fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("text.so"), MODULE_ERROR_INVALID_MODULE, "a text file");
}

/* broken.md: the case that catches an implementation that opens files before validating them.
 * glibc itself refuses a PIE before running any of its code, so the PIE alone cannot tell; a
 * truncated module with a constructor (its last segment ends past the end of the file) can:
 * dlopen maps it and runs the constructor, SPEC 3.12 rejects it first (fixtures/README.md). */
CONFORMANCE_CASE(core_validation, CORE_VAL_007, "3.12",
                 "a position-independent executable and a truncated module with a constructor fail "
                 "with INVALID_MODULE and none of their code runs")
{
    module_system_t* system = case_system_new(NULL, 0);
    const struct {
        const char* file;
        const char* constructor_line;
        const char* what;
    } rejected[] = {
        {"pie_executable.so", "ctor pie_executable", "a PIE executable"},
        {"truncated_ctor.so", "ctor truncated_ctor", "a truncated module with a constructor"},
    };
    for (size_t i = 0; i < 2; i++) {
        const char* path = fixture_bad(rejected[i].file);
        case_step("loading %s (%s)", rejected[i].what, path);
        cr_assert(CAND(module_load)(system, path) == NULL,
                  "%s (%s) loaded as a module; expected "
                  "NULL with INVALID_MODULE (SPEC 3.12)",
                  rejected[i].what, path);
        expect_last_error(MODULE_ERROR_INVALID_MODULE, rejected[i].what);
        cr_assert(
            fixture_log_count(rejected[i].constructor_line) == 0,
            "the constructor of %s ran before it was rejected (SPEC 3.12: no code of a rejected "
            "file runs); log:\n%s",
            rejected[i].what, fixture_log_read());
    }
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_validation, CORE_VAL_008, "3.4",
                 "a shared object for another machine fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("foreign_arch.so"), MODULE_ERROR_INVALID_MODULE,
                   "another machine's shared object");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_009, "3.4",
                 "a shared object of the wrong ELF class fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("elfclass32.so"), MODULE_ERROR_INVALID_MODULE, "an ELFCLASS32 file");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_010, "3.4",
                 "a shared object of the wrong byte order fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("bigendian.so"), MODULE_ERROR_INVALID_MODULE, "a big-endian file");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_011, "3.4",
                 "a relocatable object (not ET_DYN) fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("object_file.so"), MODULE_ERROR_INVALID_MODULE,
                   "a relocatable object");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_012, "3.12",
                 "a shared object cut in half fails with INVALID_MODULE")
{
    expect_rejected(fixture_bad("truncated.so"), MODULE_ERROR_INVALID_MODULE, "a truncated module");
}

CONFORMANCE_CASE(
    core_validation, CORE_VAL_013, "3.4",
    "a file holding only the first 10 bytes of an ELF header fails with INVALID_MODULE")
{
    expect_refused(fixture_bad("truncated_header.so"), MODULE_ERROR_INVALID_MODULE,
                   "a truncated ELF header");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_014, "3.4",
                 "a character device fails with INVALID_MODULE")
{
    const char* device = case_symlink("/dev/null", "device_module.so");
    expect_refused(device, MODULE_ERROR_INVALID_MODULE,
                   "a character device (/dev/null, through a link)");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_017, "3.12",
                 "a FIFO fails with INVALID_MODULE without blocking")
{
    const char* fifo = case_path("fifo_module.so");
    cr_assert(mkfifo(fifo, 0644) == 0, "harness: mkfifo %s: %s", fifo, strerror(errno));
    /* Opening a FIFO for reading waits for a writer: a candidate that does so times out here. */
    expect_rejected(fifo, MODULE_ERROR_INVALID_MODULE, "a FIFO");
}

CONFORMANCE_CASE(core_validation, CORE_VAL_015, "3.3",
                 "a valid module's constructor runs exactly once at its load")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("ctor_logger");
    cr_assert(fixture_log_count("ctor ctor_logger") == 0, "harness: the log is not empty");
    module_handle_t handle = case_load(system, path);
    case_load(system, path);
    cr_assert(fixture_log_count("ctor ctor_logger") == 1,
              "ctor_logger's constructor ran %zu times for two loads, expected once; log:\n%s",
              fixture_log_count("ctor ctor_logger"), fixture_log_read());
    case_unload(handle);
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_validation, CORE_VAL_016, "3.12",
                 "each file of CORE-VAL-001 to 014 is refused with one callback naming the path "
                 "and a reason, and is not mapped")
{
    const char* device = case_symlink("/dev/null", "device_module.so");
    const struct {
        const char* path;
        module_error_t code;
        const char* what;
    } files[] = {
        {case_path("missing_module.so"), MODULE_ERROR_FILE_NOT_FOUND, "a missing file"},
        {fixture_bad("dir_module.so"), MODULE_ERROR_INVALID_MODULE, "a directory"},
        {fixture_bad("empty.so"), MODULE_ERROR_INVALID_MODULE, "an empty file"},
        {fixture_bad("text.so"), MODULE_ERROR_INVALID_MODULE, "a text file"},
        {fixture_bad("foreign_arch.so"), MODULE_ERROR_INVALID_MODULE,
         "another machine's shared object"},
        {fixture_bad("elfclass32.so"), MODULE_ERROR_INVALID_MODULE, "an ELFCLASS32 file"},
        {fixture_bad("bigendian.so"), MODULE_ERROR_INVALID_MODULE, "a big-endian file"},
        {fixture_bad("object_file.so"), MODULE_ERROR_INVALID_MODULE, "a relocatable object"},
        {fixture_bad("truncated_header.so"), MODULE_ERROR_INVALID_MODULE, "a truncated ELF header"},
        {device, MODULE_ERROR_INVALID_MODULE, "a character device (/dev/null, through a link)"},
    };
    module_system_t* system = case_system_new(NULL, 0);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        expect_rejected_in(system, files[i].path, files[i].code, files[i].what);
    }
    case_system_destroy(system);
}
