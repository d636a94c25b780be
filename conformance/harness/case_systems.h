/*
 * case_systems.h — module systems created by a case, and asserting wrappers for the calls most
 * cases make on the way to the behaviour they check.
 *
 * The wrappers fail the case with a message naming the call, its argument and the candidate's
 * last error, so that a case reads as the behaviour it checks. Systems created here are tracked;
 * the ones a passing case leaves alive are destroyed when it ends (a destroy that is itself under
 * test is done with CAND(module_system_destroy) followed by case_system_forget).
 */
#ifndef CONFORMANCE_CASE_SYSTEMS_H
#define CONFORMANCE_CASE_SYSTEMS_H

#include <stdint.h>

#include "module_interface.h"

/* The configuration SPEC 2.1 gives as the defaults (coremod_defaults.h), with `search_path` (not
 * copied; NULL means the default "./modules", SPEC 2.2). */
module_system_config_t case_default_config(const char* search_path);

/* module_system_init with the default configuration except the search path and, if non-zero,
 * max_concurrent_modules; fails the case if the candidate returns NULL. */
module_system_t* case_system_new(const char* search_path, uint32_t max_modules);

/* module_system_init(config); fails the case if the candidate returns NULL. */
module_system_t* case_system_with_config(const module_system_config_t* config);

/* Starts tracking a system the case created itself. */
void case_system_track(module_system_t* system);

/* module_system_destroy, then forget it. Checks nothing: what destroy leaves behind (the last
 * error, handles, mappings) is SPEC 2.8's (coremod) and checked by the cases citing it. */
void case_system_destroy(module_system_t* system);

/* Stops tracking a system the case destroyed itself. */
void case_system_forget(module_system_t* system);

/* Destroys every tracked system (end of a passing or unsupported case). */
void case_systems_destroy_all(void);

/* Asserting wrappers: each fails the case, naming the call, when the candidate fails. */
module_handle_t case_load(module_system_t* system, const char* path);
void case_unload(module_handle_t handle);
module_info_t case_info(module_handle_t handle);
void* case_symbol(module_handle_t handle, const char* name);

/* Current reference count of a loaded module (case_info). */
uint32_t case_refcount(module_handle_t handle);

#endif /* CONFORMANCE_CASE_SYSTEMS_H */
