/* module_metadata.c — see module_metadata.h. */
#include "module_metadata.h"

#include <dlfcn.h>
#include <string.h>
#if defined(__GLIBC__)
#include <link.h> /* struct link_map, for module_own_symbol */
#endif

#include "coremod_module.h"

void* module_own_symbol(void* library, const char* name)
{
    void* address = dlsym(library, name);
    if (address == NULL) {
        return NULL;
    }
#if defined(RTLD_DI_LINKMAP) && defined(RTLD_DL_LINKMAP)
    /* dlsym on a handle searches the module, then its dependencies: keep only a definition whose
     * containing object is the module itself. */
    struct link_map* own = NULL;
    struct link_map* defining = NULL;
    Dl_info info;
    if (dlinfo(library, RTLD_DI_LINKMAP, &own) != 0 ||
        dladdr1(address, &info, (void**)&defining, RTLD_DL_LINKMAP) == 0 || defining != own) {
        return NULL;
    }
#endif
    return address;
}

/* Copies at most size - 1 bytes of `source` and NUL-terminates; never reads past what it copies,
 * so a long or unterminated module string costs nothing beyond the field. */
static void copy_truncated(char* destination, size_t size, const char* source)
{
    size_t length = source != NULL ? strnlen(source, size - 1u) : 0;
    if (length != 0) {
        memcpy(destination, source, length);
    }
    destination[length] = '\0';
}

/* SPEC 3.7 fallback: "/x/graphics_renderer.so" -> "graphics_renderer". A leading dot does not
 * start an extension (".hidden" stays ".hidden"). */
static void base_name_without_extension(const char* path, char* out, size_t size)
{
    const char* slash = strrchr(path, '/');
    const char* base = slash != NULL ? slash + 1 : path;
    size_t length = strlen(base);
    const char* dot = strrchr(base, '.');
    if (dot != NULL && dot != base) {
        length = (size_t)(dot - base);
    }
    if (length > size - 1u) {
        length = size - 1u;
    }
    memcpy(out, base, length);
    out[length] = '\0';
}

void module_metadata_read(void* library, const char* path, module_metadata_t* metadata)
{
    const coremod_module_descriptor_t* descriptor =
        module_own_symbol(library, COREMOD_DESCRIPTOR_SYMBOL);
    if (descriptor != NULL && descriptor->abi_version != COREMOD_DESCRIPTOR_ABI_VERSION) {
        descriptor = NULL; /* another ABI: its layout may differ, read nothing from it */
    }
    if (descriptor != NULL && descriptor->name != NULL) {
        copy_truncated(metadata->name, sizeof(metadata->name), descriptor->name);
    } else {
        base_name_without_extension(path, metadata->name, sizeof(metadata->name));
    }
    copy_truncated(metadata->version, sizeof(metadata->version),
                   descriptor != NULL ? descriptor->version : NULL);
    copy_truncated(metadata->description, sizeof(metadata->description),
                   descriptor != NULL ? descriptor->description : NULL);
    metadata->is_critical = descriptor != NULL && descriptor->is_critical;
}

module_entry_points_t module_entry_points_read(void* library)
{
    module_entry_points_t entry = {NULL, NULL};
    const module_interface_t* interface = module_own_symbol(library, "module_interface");
    if (interface != NULL) {
        entry.init = interface->init;
        entry.cleanup = interface->cleanup;
        return entry; /* top-level functions are not called (SPEC 3.6) */
    }
    /* POSIX guarantees that dlsym's object pointer converts to a function pointer; ISO C does
     * not, so the conversion is spelled as a copy of the representation. */
    void* init = module_own_symbol(library, "module_init");
    void* cleanup = module_own_symbol(library, "module_cleanup");
    memcpy(&entry.init, &init, sizeof(entry.init));
    memcpy(&entry.cleanup, &cleanup, sizeof(entry.cleanup));
    return entry;
}
