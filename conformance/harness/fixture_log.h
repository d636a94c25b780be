/*
 * fixture_log.h — the per-case lifecycle log written by fixture modules.
 *
 * Lifecycle fixtures append lines such as "init lifecycle_counter" to the file named by
 * $COREMOD_FIXTURE_LOG (fixtures/README.md). Each case gets its own log in its temporary
 * directory, so that it sees exactly the module code its own calls ran. When module code runs is
 * coremod's rule (SPEC 3.6, 3.3): the readers below are only for cases citing a coremod-level
 * clause (conformance_require_coremod_case).
 */
#ifndef CONFORMANCE_FIXTURE_LOG_H
#define CONFORMANCE_FIXTURE_LOG_H

#include <stdbool.h>
#include <stddef.h>

#define FIXTURE_LOG_ENV "COREMOD_FIXTURE_LOG"

/* Creates the case's empty log and exports its path; false with a message on failure. */
bool fixture_log_setup(char* err, size_t err_size);

/* Path of the case's log. */
const char* fixture_log_path(void);

/* Whole content of the log ("" if empty). */
const char* fixture_log_read(void);

/* Number of lines exactly equal to `line`. */
size_t fixture_log_count(const char* line);

/* 0-based index of the first line equal to `line`, or -1. */
long fixture_log_index(const char* line);

/* Empties the log. */
void fixture_log_clear(void);

#endif /* CONFORMANCE_FIXTURE_LOG_H */
