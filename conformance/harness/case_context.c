/* case_context.c — see case_context.h. */
#include "case_context.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "case_memory.h"
#include "case_outcome.h"
#include "case_step.h"
#include "case_systems.h"
#include "case_tmpdir.h"
#include "case_watchdog.h"
#include "fixture_log.h"
#include "guard_string.h"
#include "run_directory.h"
#include "spec_levels.h"

candidate_api_t conformance_candidate;

static char case_id[128];
static char case_clause[16];
static bool case_document_level;
/* Why the case cannot start, reported by conformance_case_enter as a failure of the case: an
 * assertion in Criterion's init fixture would be reported as a crash during setup instead. */
static char setup_error[1200];

const char* conformance_case_id(void)
{
    return case_id;
}

void conformance_fail(const char* format, ...)
{
    char message[2048];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    /* A stranger reads the message without our source: name the clause the case checks, unless
     * the message already names one or is the harness's own fault. */
    if (length >= 0 && (size_t)length < sizeof(message) && case_clause[0] != '\0' &&
        strstr(message, "SPEC ") == NULL && strncmp(message, "harness:", 8) != 0) {
        const char* title = spec_clause_title(case_clause);
        snprintf(message + length, sizeof(message) - (size_t)length, " (%s checks SPEC %s%s%s)",
                 case_id, case_clause, title[0] != '\0' ? ", " : "", title);
    }
    cr_assert_fail("%s", message);
    __builtin_unreachable(); /* cr_assert_fail ends the test with a longjmp */
}

const char* conformance_case_clause(void)
{
    return case_clause;
}

bool conformance_case_is_document_level(void)
{
    return case_document_level;
}

void conformance_require_coremod_case(const char* helper, const char* rule)
{
    if (case_document_level) {
        conformance_fail("harness: %s checks a coremod-level rule (%s), but %s cites SPEC %s, "
                         "which is document-level: a document-level case may not depend on a "
                         "coremod rule",
                         helper, rule, case_id, case_clause);
    }
}

void conformance_require_function(bool present, const char* name)
{
    case_step_call(name);
    if (!present) {
        conformance_fail("the candidate %s does not export %s, which this case needs",
                         conformance_candidate.path, name);
    }
}

void conformance_require_all_functions(void)
{
    char missing[1024];
    if (candidate_missing_functions(&conformance_candidate, missing, sizeof(missing)) > 0) {
        conformance_fail("the candidate %s does not export %s, which this case needs",
                         conformance_candidate.path, missing);
    }
}

void conformance_case_setup(const char* test_name, const char* clause, double timeout_s)
{
    /* The id is the test name with '_' written back as '-' (C identifiers cannot hold '-'). */
    snprintf(case_id, sizeof(case_id), "%s", test_name);
    for (char* c = case_id; *c != '\0'; c++) {
        if (*c == '_') {
            *c = '-';
        }
    }
    setup_error[0] = '\0';
    case_step_open(run_directory(), case_id);
    snprintf(case_clause, sizeof(case_clause), "%s", clause);
    case_document_level = false;
    if (!spec_clause_level(clause, &case_document_level)) {
        snprintf(setup_error, sizeof(setup_error),
                 "harness: %s cites SPEC %s, which is not a "
                 "numbered clause of conformance/SPEC.md",
                 case_id, clause);
        return;
    }
    char err[1024];
    if (!case_watchdog_arm(case_id, timeout_s, err, sizeof(err))) {
        snprintf(setup_error, sizeof(setup_error), "harness: cannot arm the case watchdog: %s",
                 err);
        return;
    }
    if (!candidate_bind(&conformance_candidate, NULL, err, sizeof(err))) {
        /* The candidate's fault when the loader refuses it; a harness fault only when there is
         * no candidate to bind (no COREMOD_IMPL, an over-long path). */
        bool refused = conformance_candidate.loader_refused;
        snprintf(setup_error, sizeof(setup_error), "%s%s", refused ? "" : HARNESS_FAULT_PREFIX,
                 err);
        return;
    }
    if (!case_tmpdir_create(case_id, err, sizeof(err)) || !fixture_log_setup(err, sizeof(err))) {
        snprintf(setup_error, sizeof(setup_error), "harness: %s", err);
    }
}

void conformance_case_enter(void)
{
    if (setup_error[0] != '\0') {
        conformance_fail("%s", setup_error);
    }
}

void conformance_case_completed(void)
{
    /* Only a case that ran to its end cleans up through the candidate: after a failure the
     * candidate may be in any state, and a crash here must not hide the failure. */
    case_systems_destroy_all();
}

void conformance_case_teardown(void)
{
    case_watchdog_disarm();
    guard_strings_release();
    case_tmpdir_remove();
    case_memory_release();
    /* The candidate stays open: modules it loaded may still be mapped, and the process ends
     * with the case anyway. */
}
