/*
 * module_metadata.h — what a module says about itself (SPEC 3.6 entry points, 3.7 descriptor).
 */
#ifndef COREMOD_MODULE_METADATA_H
#define COREMOD_MODULE_METADATA_H

#include <stdbool.h>

#include "public_api.h"

typedef struct {
    char name[sizeof(((module_info_t*)0)->name)];
    char version[sizeof(((module_info_t*)0)->version)];
    char description[sizeof(((module_info_t*)0)->description)];
    bool is_critical;
} module_metadata_t;

typedef struct {
    bool (*init)(void);    /* NULL: none */
    void (*cleanup)(void); /* NULL: none */
} module_entry_points_t;

/* The address of `name` if the module `library` (a dlopen handle) defines it itself; NULL if it
 * does not, even when one of its dependencies does (a dependency's module_init or descriptor is
 * not this module's). */
void* module_own_symbol(void* library, const char* name);

/* Fills `metadata` from the module's coremod_module_descriptor, with the SPEC 3.7 fallbacks
 * (name: base name of `path` without its last extension). */
void module_metadata_read(void* library, const char* path, module_metadata_t* metadata);

/* The module's init/cleanup: module_interface's members if it exports module_interface, else its
 * top-level module_init/module_cleanup (SPEC 3.6). */
module_entry_points_t module_entry_points_read(void* library);

#endif /* COREMOD_MODULE_METADATA_H */
