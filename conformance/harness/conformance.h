/*
 * conformance.h — everything a case file needs: the case macro, the candidate, the harness
 * helpers. Cases include this one header.
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "candidate_api.h"
#include "case_context.h"
#include "case_memory.h"
#include "case_outcome.h"
#include "case_step.h"
#include "case_systems.h"
#include "case_tmpdir.h"
#include "coremod_module.h"
#include "error_capture.h"
#include "error_expect.h"
#include "error_names.h"
#include "fixture_log.h"
#include "fixture_paths.h"
#include "guard_string.h"
#include "module_interface.h"
#include "raw_loader.h"
#include "thread_probe.h"

/* In the cases, a failed cr_assert goes through conformance_fail, which names the clause the case
 * checks when the message does not (case_context.h). Every cr_assert of a case has a message. */
#undef cr_assert
#define cr_assert(condition, ...) ((condition) ? (void)0 : conformance_fail(__VA_ARGS__))

#endif /* CONFORMANCE_H */
