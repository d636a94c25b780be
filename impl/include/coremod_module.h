/*
 * coremod_module.h — what a module declares about itself (SPEC 3.7, 9.2).
 *
 * The document gives module_info_t a name, version, description and criticality but does not say
 * where they come from. coremod reads them from one exported, versioned descriptor, so that a
 * module states them in one place and an implementation can read them with one symbol lookup:
 *
 *     #include <coremod_module.h>
 *     COREMOD_MODULE_DESCRIPTOR("graphics_renderer", "1.2.0", "Draws the city", true);
 */
#ifndef COREMOD_MODULE_H
#define COREMOD_MODULE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COREMOD_DESCRIPTOR_ABI_VERSION 1u
#define COREMOD_DESCRIPTOR_SYMBOL "coremod_module_descriptor"

typedef struct {
    uint32_t abi_version;    /* COREMOD_DESCRIPTOR_ABI_VERSION; anything else is ignored */
    const char* name;        /* NULL: the file's base name without extension */
    const char* version;     /* NULL: "" */
    const char* description; /* NULL: "" */
    bool is_critical;
} coremod_module_descriptor_t;

#if defined(__GNUC__)
#define COREMOD_EXPORT __attribute__((visibility("default")))
#else
#define COREMOD_EXPORT
#endif

/* Defines the module's exported descriptor. Use once, at file scope, in one file of the module. */
#define COREMOD_MODULE_DESCRIPTOR(name_, version_, description_, is_critical_)                     \
    COREMOD_EXPORT extern const coremod_module_descriptor_t coremod_module_descriptor;             \
    COREMOD_EXPORT const coremod_module_descriptor_t coremod_module_descriptor = {                 \
        COREMOD_DESCRIPTOR_ABI_VERSION, (name_), (version_), (description_), (is_critical_)}

#ifdef __cplusplus
}
#endif

#endif /* COREMOD_MODULE_H */
