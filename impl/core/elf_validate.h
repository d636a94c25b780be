/*
 * elf_validate.h — is this open file a shared object the platform loader can map on this machine?
 * (SPEC 3.4). Decided from the file's headers alone, read with pread, before dlopen sees the file:
 * a rejected file never gets its constructors run.
 */
#ifndef COREMOD_ELF_VALIDATE_H
#define COREMOD_ELF_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "public_api.h"

/* MODULE_SUCCESS, or MODULE_ERROR_INVALID_MODULE (MODULE_ERROR_SYSTEM_ERROR if the file cannot be
 * read) with a sentence saying why in `reason`. `file_size` is from fstat of `fd`. */
module_error_t elf_validate(int fd, uint64_t file_size, char* reason, size_t reason_size);

#endif /* COREMOD_ELF_VALIDATE_H */
